import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketExecutionName,
  catchUpRun,
  isCatchUpExecution,
  nextPassExecutionName,
  TIMER_CATCH_UP_SECONDS,
  BucketRunSchema,
  InvalidTimerRequest,
  MAX_TIMER_DAYS,
  normaliseTimerRequest,
  TIMER_BUCKET_SECONDS,
  TIMER_SCHEDULE_MARGIN_SECONDS,
  timerBucket,
  timerExecutionName,
} from '../../../shared/domain/timers/timer.js';
import { timerTransactItem } from '../../../shared/db/timers.js';

const now = new Date('2026-05-01T09:00:00.000Z');
const req = { kind: 'approval-sla', key: 'D1#1', wakeAt: '2026-05-02T09:00:00.250Z', token: 'v3' };

describe('timer requests', () => {
  it('normalises wakeAt to whole seconds, rounding up (never early)', () => {
    expect(normaliseTimerRequest(req, now).wakeAt).toBe('2026-05-02T09:00:01Z');
    expect(normaliseTimerRequest({ ...req, wakeAt: '2026-05-02T09:00:00.000Z' }, now).wakeAt).toBe('2026-05-02T09:00:00Z');
  });

  it.each([
    ['an upper-case kind', { ...req, kind: 'Approval' }, /kind/],
    ['an empty key', { ...req, key: '' }, /key/],
    ['a local time', { ...req, wakeAt: '2026-05-02T09:00:00+09:00' }, /wakeAt/],
    ['not a time', { ...req, wakeAt: 'tomorrow' }, /wakeAt/],
    ['an empty token', { ...req, token: '' }, /token/],
    ['too far ahead', { ...req, wakeAt: new Date(now.getTime() + (MAX_TIMER_DAYS + 1) * 86_400_000).toISOString() }, /days ahead/],
  ])('refuses %s', (_what, input, message) => {
    expect(() => normaliseTimerRequest(input, now)).toThrow(InvalidTimerRequest);
    expect(() => normaliseTimerRequest(input, now)).toThrow(message);
  });

  it('accepts a past wakeAt (the timer wakes at once)', () => {
    expect(normaliseTimerRequest({ ...req, wakeAt: '2020-01-01T00:00:00Z' }, now).wakeAt).toBe('2020-01-01T00:00:00Z');
  });

  it('names executions from (kind, key, token) only: valid Step Functions names, distinct per timer', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (key, token, other) => {
        const name = timerExecutionName({ kind: 'approval-sla', key, token });
        expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
        expect(timerExecutionName({ kind: 'approval-sla', key, token })).toBe(name);
        if (other !== token) expect(timerExecutionName({ kind: 'approval-sla', key, token: other })).not.toBe(name);
        // The separator keeps ("a#b", "c") and ("a", "b#c") apart.
        expect(timerExecutionName({ kind: 'approval-sla', key: `${key}\u0001`, token })).not.toBe(name);
      }),
    );
  });

  it('timerTransactItem is the pending wait in its bucket partition and a timer.scheduled outbox entry, with a TTL, never overwriting', () => {
    const item = timerTransactItem('t', req, { eventId: 'E1', occurredAt: now.toISOString() });
    expect(item.Put).toMatchObject({
      TableName: 't',
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: {
        PK: 'TIMERBUCKET#2026-05-02T09:01:00Z',
        SK: 'WAIT#E1',
        entity: 'History',
        eventName: 'timer.scheduled',
        data: { ...req, wakeAt: '2026-05-02T09:00:01Z', bucket: '2026-05-02T09:01:00Z' },
        subject: { type: 'timer', id: timerExecutionName(req) },
        // Kept 30 days after its bucket opened, so a far wait is never expired before it is due.
        expiresAt: Date.parse('2026-05-02T09:01:00Z') / 1000 + 30 * 86_400,
      },
    });
    expect(() => timerTransactItem('t', { ...req, kind: '' })).toThrow(InvalidTimerRequest);
  });
});

describe('time buckets', () => {
  const at = (iso: string) => new Date(iso);

  it.each([
    ['a wait inside a minute goes to the minute it ends', '2026-05-02T09:00:01Z', '2026-05-02T09:01:00Z'],
    ['a wait on a minute boundary is its own bucket', '2026-05-02T09:01:00Z', '2026-05-02T09:01:00Z'],
    ['a wait due now goes to a bucket at least the margin ahead', '2026-05-01T09:00:00Z', '2026-05-01T09:01:00Z'],
    ['a past wait too (it is due: woken when the next bucket opens)', '2020-01-01T00:00:00Z', '2026-05-01T09:01:00Z'],
  ])('%s', (_what, wakeAt, bucket) => {
    expect(timerBucket(wakeAt, now)).toBe(bucket);
  });

  it('a wait due within the margin of a minute boundary goes to the next minute (its bucket opens after the write)', () => {
    const nearly = at('2026-05-01T09:00:59.000Z');
    expect(timerBucket('2026-05-01T09:00:59Z', nearly)).toBe('2026-05-01T09:02:00Z');
  });

  it('never early, at most a width plus the margin late: for any wakeAt and now', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 86_400_000 }), fc.integer({ min: -86_400_000, max: 86_400_000 }), (offset, skew) => {
        const nowMs = Date.parse('2026-05-01T09:00:00Z') + offset;
        const wakeMs = nowMs + skew;
        const bucket = Date.parse(timerBucket(new Date(wakeMs).toISOString(), new Date(nowMs)));
        expect(bucket % (TIMER_BUCKET_SECONDS * 1000)).toBe(0);
        expect(bucket).toBeGreaterThanOrEqual(wakeMs);
        expect(bucket).toBeGreaterThanOrEqual(nowMs + TIMER_SCHEDULE_MARGIN_SECONDS * 1000);
        expect(bucket - Math.max(wakeMs, nowMs)).toBeLessThan((TIMER_BUCKET_SECONDS + TIMER_SCHEDULE_MARGIN_SECONDS) * 1000);
      }),
    );
  });

  it('names a bucket\'s execution after the bucket', () => {
    expect(bucketExecutionName('2026-05-02T09:01:00Z')).toBe('bucket-20260502T0901Z');
  });

  it('a catch-up pages the bucket after the window its late wait was seen in, plus the margin: one per bucket and window', () => {
    const bucket = '2026-05-02T09:01:00Z';
    const seen = new Date('2026-05-02T09:03:11.400Z');
    const run = catchUpRun(bucket, seen);
    expect(run).toEqual({ executionName: 'bucket-20260502T0901Z-late-20260502T090315Z', input: { bucket, wakeAt: '2026-05-02T09:03:15Z' } });
    expect(BucketRunSchema.parse(run.input)).toEqual(run.input);
    // Late waits seen within one window share it; the next window has its own; another bucket its own.
    expect(catchUpRun(bucket, new Date('2026-05-02T09:03:12.999Z')).executionName).toBe(run.executionName);
    expect(catchUpRun(bucket, new Date('2026-05-02T09:03:13.001Z')).executionName).toBe('bucket-20260502T0901Z-late-20260502T090320Z');
    expect(catchUpRun('2026-05-02T09:02:00Z', seen).executionName).not.toBe(run.executionName);
    // Catch-ups and their next passes are told from buckets' own runs by name.
    expect(isCatchUpExecution(run.executionName)).toBe(true);
    expect(isCatchUpExecution(nextPassExecutionName(run.executionName))).toBe(true);
    expect(isCatchUpExecution(bucketExecutionName(bucket))).toBe(false);
    expect(isCatchUpExecution(nextPassExecutionName(bucketExecutionName(bucket)))).toBe(false);
  });

  it('a catch-up never pages before a wait seen in its window has had the margin to commit, nor more than a window and the margin later', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }), (seenMs) => {
        const { executionName, input } = catchUpRun('2026-05-02T09:01:00Z', new Date(seenMs));
        const wakeMs = Date.parse(input.wakeAt);
        expect(wakeMs).toBeGreaterThanOrEqual(seenMs + TIMER_SCHEDULE_MARGIN_SECONDS * 1000);
        expect(wakeMs - seenMs).toBeLessThanOrEqual((TIMER_SCHEDULE_MARGIN_SECONDS + TIMER_CATCH_UP_SECONDS) * 1000);
        expect(executionName).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
      }),
    );
  });

  it('names a run\'s next pass after its execution and the pass: valid, and distinct per run and per pass', () => {
    expect(nextPassExecutionName('bucket-20260502T0901Z')).toBe('bucket-20260502T0901Z-pass2');
    expect(nextPassExecutionName('bucket-20260502T0901Z-pass2', 2)).toBe('bucket-20260502T0901Z-pass3');
    const late = catchUpRun('2026-05-02T09:01:00Z', new Date('2026-05-02T09:03:11Z')).executionName;
    expect(nextPassExecutionName(late)).toBe(`${late}-pass2`);
    // The longest run names Keiro starts (a catch-up from before windows: bucket and a 32-hex hash) stay within 80 characters.
    const longest = nextPassExecutionName(`bucket-20260502T0901Z-${'f'.repeat(32)}-pass10000`, 10_000);
    expect(longest).toBe(`bucket-20260502T0901Z-${'f'.repeat(32)}-pass10001`);
    expect(longest).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });
});
