/**
 * The figures `npm run bench` printed before the hardening of the records core's read and write paths
 * (commit 37ed527, same machine, BENCH_SAMPLES=150), kept so that every run prints them beside its own.
 * Round trips are exact; the ratios are p50 ÷ the same calls replayed bare (see run.ts).
 */
export interface BeforeRow {
  roundTrips: string;
  ratio: Record<number, number>;
}

export const BEFORE: Record<string, BeforeRow> = {
  create: { roundTrips: '4 (GetItem×2, Query×1, TransactWriteItems×1)', ratio: { 1: 1.68, 16: 2.61 } },
  get: { roundTrips: '4 (GetItem×3, Query×1)', ratio: { 1: 1.56, 16: 3.5 } },
  patch: { roundTrips: '5 (GetItem×3, Query×1, TransactWriteItems×1)', ratio: { 1: 2.55, 16: 2.06 } },
};
