import type { ShadowOutcomeKind } from './model.js';

/** One outcome a definition produces: its kind, and what tells outcomes of one kind apart (a template subject, `from → to`). */
export interface Outcome {
  kind: ShadowOutcomeKind;
  label: string;
}

/** A record's outcome explained as the workflow rules' execution log explains a run. */
export interface Sample {
  sourceEvent: string;
  record: { module: string; id: string };
  outcome: 'ran' | 'refused' | 'criteria-not-met';
  reason?: string;
  actions: Array<{ index: number; type: string; status: 'done' | 'unresolved' | 'refused'; detail?: string }>;
  at: string;
}

/** At most this many sample records per outcome. */
export const SAMPLES_PER_OUTCOME = 20;

/** What one replay has produced so far: plain JSON, so that a paged job can save and resume it. */
export interface Tally {
  /** Outcome key → count. */
  counts: Record<string, number>;
  /** Outcome key → up to SAMPLES_PER_OUTCOME samples (the first ones, in replay order). */
  samples: Record<string, Sample[]>;
  /** `module/id` → the outcome keys the record got (for the side-by-side); skips are not outcomes. */
  byRecord: Record<string, string[]>;
  limits: { dependsOnPerson: number; dependsOnCustomer: number };
}

export const emptyTally = (): Tally => ({ counts: {}, samples: {}, byRecord: {}, limits: { dependsOnPerson: 0, dependsOnCustomer: 0 } });

const SEP = '\u001f';
export const outcomeKey = (o: Outcome): string => `${o.kind}${SEP}${o.label}`;
export const outcomeOf = (key: string): Outcome => {
  const at = key.indexOf(SEP);
  return { kind: key.slice(0, at) as Outcome['kind'], label: key.slice(at + 1) };
};
export const recordKey = (module: string, id: string): string => `${module}/${id}`;

/** Counts an outcome for a record, keeps it as a sample while there is room, and remembers it for the side-by-side. */
export const count = (tally: Tally, outcome: Outcome, sample: Sample): void => {
  const key = outcomeKey(outcome);
  tally.counts[key] = (tally.counts[key] ?? 0) + 1;
  const samples = (tally.samples[key] ??= []);
  if (samples.length < SAMPLES_PER_OUTCOME) samples.push(sample);
  if (outcome.kind === 'skipped') return;
  const rk = recordKey(sample.record.module, sample.record.id);
  const mine = (tally.byRecord[rk] ??= []);
  if (!mine.includes(key)) mine.push(key);
};

/** Counts, largest first (then by kind and label), as the API answers them. */
export const countsOf = (tally: Tally): Array<Outcome & { count: number }> =>
  Object.entries(tally.counts)
    .map(([key, n]) => ({ ...outcomeOf(key), count: n }))
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label));

export const samplesOf = (tally: Tally): Array<Outcome & { items: Sample[] }> =>
  Object.entries(tally.samples)
    .map(([key, items]) => ({ ...outcomeOf(key), items }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label));

type RecordRef = { module: string; id: string };
const refOf = (key: string): RecordRef => {
  const at = key.indexOf('/');
  return { module: key.slice(0, at), id: key.slice(at + 1) };
};

/** Each list of the side-by-side holds at most this many records. */
export const MAX_COMPARED = 500;

/**
 * The side-by-side of two replays over the same window, per record: an outcome only the draft gives is
 * added, one only the published version gives is removed, and a record that loses one outcome and gains
 * another has moved (from the first it loses to the first it gains; the rest are listed as added or removed).
 * Exactly the records whose outcomes differ appear.
 */
export const compare = (draft: Tally, published: Tally) => {
  const added: Array<{ record: RecordRef; outcome: Outcome }> = [];
  const removed: Array<{ record: RecordRef; outcome: Outcome }> = [];
  const moved: Array<{ record: RecordRef; from: Outcome; to: Outcome }> = [];
  const keys = [...new Set([...Object.keys(draft.byRecord), ...Object.keys(published.byRecord)])].sort();
  for (const key of keys) {
    const mine = draft.byRecord[key] ?? [];
    const theirs = published.byRecord[key] ?? [];
    const gains = mine.filter((o) => !theirs.includes(o));
    const losses = theirs.filter((o) => !mine.includes(o));
    const record = refOf(key);
    if (gains.length > 0 && losses.length > 0) {
      moved.push({ record, from: outcomeOf(losses.shift()!), to: outcomeOf(gains.shift()!) });
    }
    for (const o of gains) added.push({ record, outcome: outcomeOf(o) });
    for (const o of losses) removed.push({ record, outcome: outcomeOf(o) });
  }
  const truncated = added.length > MAX_COMPARED || removed.length > MAX_COMPARED || moved.length > MAX_COMPARED;
  return { added: added.slice(0, MAX_COMPARED), removed: removed.slice(0, MAX_COMPARED), moved: moved.slice(0, MAX_COMPARED), truncated };
};
