import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LOOKAHEAD_DAYS, addDelay, isInsideWindow, nextSendTime, type SendCalendar } from '../../../shared/domain/cadence/send-window.js';
import { fromLocal, isoDate, toLocal } from '../../../shared/domain/cadence/zoned-time.js';

const weekdays9to17 = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const cal = (timeZone: string, holidays: string[] = [], window: SendCalendar['window'] | null = weekdays9to17): SendCalendar => ({
  timeZone,
  ...(window ? { window } : {}),
  holidays: new Set(holidays),
});
const iso = (d: Date | undefined) => d?.toISOString();

describe('zoned time', () => {
  it.each([
    // [zone, local date, local time, expected UTC]
    ['America/New_York', { year: 2026, month: 3, day: 6 }, [9, 0], '2026-03-06T14:00:00.000Z'], // EST, UTC-5
    ['America/New_York', { year: 2026, month: 3, day: 9 }, [9, 0], '2026-03-09T13:00:00.000Z'], // EDT, UTC-4 (DST began 8 March)
    ['America/New_York', { year: 2026, month: 3, day: 8 }, [2, 30], '2026-03-08T07:30:00.000Z'], // 02:30 does not exist: 03:30 EDT
    ['America/New_York', { year: 2026, month: 11, day: 1 }, [1, 30], '2026-11-01T05:30:00.000Z'], // ambiguous: the first (EDT) 01:30
    ['Europe/London', { year: 2026, month: 3, day: 30 }, [9, 0], '2026-03-30T08:00:00.000Z'], // BST
    ['Europe/London', { year: 2026, month: 10, day: 26 }, [9, 0], '2026-10-26T09:00:00.000Z'], // GMT again
    ['Asia/Tokyo', { year: 2026, month: 1, day: 1 }, [0, 0], '2025-12-31T15:00:00.000Z'],
  ] as const)('%s %o %o is %s', (zone, date, [h, m], expected) => {
    expect(fromLocal(date, h, m, zone).toISOString()).toBe(expected);
  });

  it('round-trips local wall times outside DST gaps', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), fc.constantFrom('America/New_York', 'Europe/London', 'Asia/Tokyo', 'Australia/Sydney', 'UTC'), (ms, zone) => {
        const at = new Date(Math.floor(ms / 60_000) * 60_000);
        const l = toLocal(at, zone);
        const back = fromLocal(l, l.hour, l.minute, zone);
        // Ambiguous wall times (fall back) map to their first occurrence: never later than the original.
        expect(back.getTime()).toBeLessThanOrEqual(at.getTime());
        const again = toLocal(back, zone);
        expect([again.year, again.month, again.day, again.hour, again.minute]).toEqual([l.year, l.month, l.day, l.hour, l.minute]);
      }),
    );
  });
});

describe('send windows', () => {
  it('a step due at 03:00 in New York goes out when the window opens at 09:00 local', () => {
    const due = fromLocal({ year: 2026, month: 6, day: 10 }, 3, 0, 'America/New_York'); // Wednesday
    expect(iso(nextSendTime(due, cal('America/New_York')))).toBe('2026-06-10T13:00:00.000Z');
  });

  it('the window follows the DST change: 09:00 New York is 14:00 UTC on Friday 6 March and 13:00 UTC on Monday 9 March', () => {
    const fridayEvening = fromLocal({ year: 2026, month: 3, day: 6 }, 18, 0, 'America/New_York');
    expect(iso(nextSendTime(fridayEvening, cal('America/New_York')))).toBe('2026-03-09T13:00:00.000Z');
    const fridayNight = fromLocal({ year: 2026, month: 3, day: 6 }, 3, 0, 'America/New_York');
    expect(iso(nextSendTime(fridayNight, cal('America/New_York')))).toBe('2026-03-06T14:00:00.000Z');
  });

  it('November: after New York falls back, 09:00 is 14:00 UTC again', () => {
    const sunday = fromLocal({ year: 2026, month: 11, day: 1 }, 1, 30, 'America/New_York');
    expect(iso(nextSendTime(sunday, cal('America/New_York')))).toBe('2026-11-02T14:00:00.000Z');
  });

  it('London: a step due on Sunday 29 March 2026 at 01:30 UTC (the change) waits for Monday 09:00 BST', () => {
    expect(iso(nextSendTime(new Date('2026-03-29T01:30:00Z'), cal('Europe/London')))).toBe('2026-03-30T08:00:00.000Z');
  });

  it('a step due inside the window goes out at once; one due at closing time goes out the next send day', () => {
    const inside = new Date('2026-06-10T15:00:00Z'); // 11:00 in New York
    expect(nextSendTime(inside, cal('America/New_York'))).toEqual(inside);
    const closing = fromLocal({ year: 2026, month: 6, day: 12 }, 17, 0, 'America/New_York'); // Friday 17:00
    expect(iso(nextSendTime(closing, cal('America/New_York')))).toBe('2026-06-15T13:00:00.000Z');
  });

  it('holidays are skipped: due on Christmas Eve evening in Tokyo, with 25 December off, it goes out on the 28th (after the weekend)', () => {
    const due = fromLocal({ year: 2026, month: 12, day: 24 }, 20, 0, 'Asia/Tokyo'); // Thursday
    expect(iso(nextSendTime(due, cal('Asia/Tokyo', ['2026-12-25'])))).toBe('2026-12-28T00:00:00.000Z');
  });

  it('without a window, only holidays move a send (to the next day at midnight local)', () => {
    const due = fromLocal({ year: 2027, month: 1, day: 1 }, 10, 0, 'Asia/Tokyo');
    expect(iso(nextSendTime(due, cal('Asia/Tokyo', ['2027-01-01'], null)))).toBe('2027-01-01T15:00:00.000Z');
    expect(nextSendTime(due, cal('Asia/Tokyo', [], null))).toEqual(due);
  });

  it('a calendar with no send day within reach has no send time; one free day far ahead is found', () => {
    const saturdaysOnly = { days: [6], start: '09:00', end: '10:00' };
    const saturdays: string[] = [];
    for (let d = Date.UTC(2026, 0, 3); d < Date.UTC(2026, 0, 1) + MAX_LOOKAHEAD_DAYS * 86_400_000; d += 7 * 86_400_000) saturdays.push(new Date(d).toISOString().slice(0, 10));
    const from = new Date('2026-01-01T00:00:00Z');
    expect(nextSendTime(from, cal('UTC', saturdays, saturdaysOnly))).toBeUndefined();
    expect(iso(nextSendTime(from, cal('UTC', saturdays.slice(0, -1), saturdaysOnly)))).toBe(`${saturdays.at(-1)}T09:00:00.000Z`);
  });

  it('business days skip weekends and holidays and keep the local time of day across DST', () => {
    const friday = fromLocal({ year: 2026, month: 3, day: 6 }, 10, 0, 'America/New_York');
    expect(iso(addDelay(friday, 1, 'businessDays', cal('America/New_York')))).toBe('2026-03-09T14:00:00.000Z'); // Monday 10:00 EDT
    expect(iso(addDelay(friday, 1, 'businessDays', cal('America/New_York', ['2026-03-09'])))).toBe('2026-03-10T14:00:00.000Z');
    expect(iso(addDelay(friday, 2, 'days', cal('America/New_York')))).toBe('2026-03-08T14:00:00.000Z'); // Sunday 10:00 EDT
    expect(iso(addDelay(friday, 48, 'hours', cal('America/New_York')))).toBe('2026-03-08T15:00:00.000Z'); // elapsed: 11:00 EDT
  });

  const zones = fc.constantFrom('America/New_York', 'Europe/London', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo', 'Asia/Kolkata', 'UTC');
  const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  const windowArb = fc
    .tuple(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), fc.integer({ min: 0, max: 24 * 60 - 1 }), fc.integer({ min: 1, max: 24 * 60 }))
    .map(([days, start, length]) => {
      const end = Math.min(start + length, 24 * 60);
      return { days, start: hhmm(start), end: hhmm(end) };
    });
  const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 11, 31) }).map((ms) => new Date(ms));
  const holidaysArb = fc.array(fc.integer({ min: 0, max: 7 * 365 }).map((d) => isoDate(toLocal(new Date(Date.UTC(2024, 0, 1) + d * 86_400_000), 'UTC'))), { maxLength: 60 });

  it('property: a planned send time is inside the window, never before the due time, never on a holiday', () => {
    fc.assert(
      fc.property(instant, zones, windowArb, holidaysArb, (due, zone, window, holidays) => {
        const calendar = cal(zone, holidays, window);
        const at = nextSendTime(due, calendar);
        expect(at).toBeDefined();
        if (!at) return;
        expect(at.getTime()).toBeGreaterThanOrEqual(due.getTime());
        expect(isInsideWindow(at, calendar)).toBe(true);
        const local = toLocal(at, zone);
        expect(holidays).not.toContain(isoDate(local));
        expect(window.days).toContain(local.weekday);
      }),
      { numRuns: 300 },
    );
  });

  it('property: it is the earliest such time (no allowed minute between due and the answer)', () => {
    fc.assert(
      fc.property(instant, zones, windowArb, holidaysArb, (due, zone, window, holidays) => {
        const calendar = cal(zone, holidays, window);
        const at = nextSendTime(due, calendar);
        if (!at || at.getTime() === due.getTime()) return;
        // Probe minutes before the answer (up to a day back, never before due): none is allowed.
        const from = Math.max(due.getTime(), at.getTime() - 86_400_000);
        for (let t = Math.ceil(from / 60_000) * 60_000; t < at.getTime(); t += 15 * 60_000) expect(isInsideWindow(new Date(t), calendar)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
