import { describe, expect, it } from 'vitest';
import { AWS_CALL_MS, lambdaBilledMs, MB_PER_VCPU, type BillBench } from '../../bench/bill.js';
import { itemBytes, itemKind } from '../../bench/capacity-meter.js';
import { billFigures } from '../../bench/figures.js';
import { PRICES } from '../../bench/prices.js';
import { figureVerdict } from '../../bench/table.js';
import { currentInvocation, timedInvocation, type LocalInvocation } from '../../../infra/local/invocations.js';

const bill = (keiroUsd: number, sesUsd: number): BillBench => ({
  stories: 1_000_000,
  lines: [
    { service: 'DynamoDB writes', units: '100 WRU', usd: keiroUsd },
    { service: 'SES', units: '15 emails', usd: sesUsd },
  ],
  keiroUsd,
  sesUsd,
  emails: 15,
  writesByKind: [],
  lambdas: [],
  wallGbSeconds: 0,
  apiRequests: 10,
  missedPollRequests: 2,
  wallSeconds: 1,
});

describe('the bill of a story', () => {
  it("is judged on Keiro's own bill against SES's for the story's mail, never passed by default", () => {
    const [met] = billFigures(bill(1_500, 1_500));
    expect(met!.ratio).toBe(1);
    expect(figureVerdict(met!)).toBe('met');
    expect(met!.baseline).toBe("SES for the story's 15 emails: $1,500.00");
    expect(figureVerdict(billFigures(bill(1_500.01, 1_500))[0]!)).toBe('NOT met');
    expect(figureVerdict(billFigures(bill(10, 0))[0]!)).toBe('NOT met');
  });

  it('prices come from prices.json with a region and the date they were read', () => {
    expect(['us-east-1', 'ap-northeast-1']).toContain(PRICES.region);
    expect(PRICES.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.ses.usdPerThousandEmails).toBe(0.1);
    expect(PRICES.sources.length).toBeGreaterThan(0);
  });

  it("bills a Lambda invocation its CPU at its memory's share of a vCPU, and a stated wait per AWS call, never its wall time here", () => {
    expect(lambdaBilledMs({ cpuMs: 10, awsCalls: 0 }, MB_PER_VCPU)).toBe(10);
    expect(lambdaBilledMs({ cpuMs: 10, awsCalls: 0 }, 3538)).toBe(10);
    expect(lambdaBilledMs({ cpuMs: 10, awsCalls: 3 }, MB_PER_VCPU / 2)).toBe(20 + 3 * AWS_CALL_MS);
    expect(lambdaBilledMs({ cpuMs: 0.2, awsCalls: 0 }, 1024)).toBe(1);
    expect(lambdaBilledMs({ cpuMs: 0, awsCalls: 0 }, 128)).toBe(1);
  });

  it('sizes an item as DynamoDB does (names and values), and names its kind by its key prefixes', () => {
    expect(itemBytes({ PK: 'REC#Leads#1', SK: 'REC' })).toBe(3 + 1 + 2 + 11 + 1 + 2 + 3);
    expect(itemBytes({ name: 'é' })).toBe(3 + 1 + 4 + 2);
    expect(itemBytes({ n: 12345 })).toBe(3 + 1 + 1 + 4);
    expect(itemKind({ PK: 'REC#Leads#01J', SK: 'HIST#2026-01-01#01J' })).toBe('REC/HIST');
    expect(itemKind({ PK: 'NOTIF#u-agent', SK: '2026-01-01T00:00:00Z#01J' })).toBe('NOTIF/*');
  });

  it('times an invocation and lets a meter add DynamoDB units to it while it runs, also when it throws', async () => {
    const heard: LocalInvocation[] = [];
    await timedInvocation((i) => heard.push(i), 'keiro-records', async () => {
      currentInvocation()!.readUnits += 0.5;
    }, 'poll-1');
    await expect(timedInvocation((i) => heard.push(i), 'keiro-journeys', async () => {
      currentInvocation()!.writeUnits += 2;
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(heard.map(({ fn, readUnits, writeUnits, correlationId }) => ({ fn, readUnits, writeUnits, correlationId }))).toEqual([
      { fn: 'keiro-records', readUnits: 0.5, writeUnits: 0, correlationId: 'poll-1' },
      { fn: 'keiro-journeys', readUnits: 0, writeUnits: 2, correlationId: undefined },
    ]);
    expect(heard.every((i) => i.ms >= 0 && i.cpuMs >= 0 && i.awsCalls === 0)).toBe(true);
    expect(currentInvocation()).toBeUndefined();
  });

  it("charges each invocation the CPU of its own code only: one that waits while another computes uses next to none", async () => {
    const heard: LocalInvocation[] = [];
    let spin = 0;
    const compute = async () => {
      for (let round = 0; round < 20; round += 1) {
        await Promise.resolve();
        for (let i = 0; i < 200_000; i += 1) spin = (spin * 31 + i) % 1_000_003;
      }
    };
    // Its wall time spans the other's computing (they interleave on the one thread); its CPU does not.
    const waiting = timedInvocation((i) => heard.push(i), 'keiro-waits', () => new Promise((resolve) => setTimeout(resolve, 1)).then(() => compute.length));
    await Promise.all([timedInvocation((i) => heard.push(i), 'keiro-computes', compute), waiting]);
    const computes = heard.find((i) => i.fn === 'keiro-computes')!;
    const waits = heard.find((i) => i.fn === 'keiro-waits')!;
    expect(spin).toBeGreaterThanOrEqual(0);
    expect(computes.cpuMs).toBeGreaterThan(0);
    expect(waits.cpuMs).toBeLessThan(computes.cpuMs / 4);
  });

  it('charges the synchronous start of a handler to it, and tells of one that throws before its first await', async () => {
    const heard: LocalInvocation[] = [];
    const burn = () => {
      let x = 0;
      for (let i = 0; i < 2_000_000; i += 1) x = (x * 31 + i) % 1_000_003;
      return x;
    };
    await timedInvocation((i) => heard.push(i), 'keiro-sync', () => Promise.resolve(burn()));
    await expect(timedInvocation((i) => heard.push(i), 'keiro-throws', () => { throw new Error('at once'); })).rejects.toThrow('at once');
    expect(heard.map((i) => i.fn)).toEqual(['keiro-sync', 'keiro-throws']);
    expect(heard[0]!.cpuMs).toBeGreaterThan(0);
  });
});
