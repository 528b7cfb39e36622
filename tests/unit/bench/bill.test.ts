import { describe, expect, it } from 'vitest';
import type { BillBench } from '../../bench/bill.js';
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
    expect(heard.every((i) => i.ms >= 0)).toBe(true);
    expect(currentInvocation()).toBeUndefined();
  });
});
