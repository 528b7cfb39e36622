import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidTimerRequest, MAX_TIMER_DAYS, normaliseTimerRequest, timerExecutionName } from '../../../shared/domain/timers/timer.js';
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

  it('timerTransactItem is an outbox entry (timer.scheduled) in the timer partition, with a TTL, never overwriting', () => {
    const item = timerTransactItem('t', req, { eventId: 'E1', occurredAt: now.toISOString() });
    expect(item.Put).toMatchObject({
      TableName: 't',
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: {
        PK: 'TIMER#approval-sla#D1#1',
        SK: `HIST#${now.toISOString()}#E1`,
        entity: 'History',
        eventName: 'timer.scheduled',
        data: { ...req, wakeAt: '2026-05-02T09:00:01Z' },
        subject: { type: 'timer', id: timerExecutionName(req) },
        expiresAt: Math.floor(now.getTime() / 1000) + 30 * 86_400,
      },
    });
    expect(() => timerTransactItem('t', { ...req, kind: '' })).toThrow(InvalidTimerRequest);
  });
});
