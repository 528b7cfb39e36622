import { addLocalDays, fromLocal, isoDate, toLocal, weekdayOf, type LocalDate } from './zoned-time.js';

/** Local hours on the given ISO weekdays (1 = Monday … 7 = Sunday) during which mail may go out. */
export interface SendWindow {
  days: readonly number[];
  /** `HH:MM`, inclusive. */
  start: string;
  /** `HH:MM`, exclusive; `24:00` is the end of the day. */
  end: string;
}

/** Where and when a recipient may be written to: their time zone, the window, and the days off. */
export interface SendCalendar {
  timeZone: string;
  /** Absent: any time of any day (holidays still skipped). */
  window?: SendWindow;
  /** Local dates (`YYYY-MM-DD`) on which nothing goes out and which are not business days. */
  holidays: ReadonlySet<string>;
}

export type DelayUnit = 'minutes' | 'hours' | 'days' | 'businessDays';

/** Weekdays that count as business days when the cadence has no send window. */
const WEEKDAYS = [1, 2, 3, 4, 5] as const;

/** How far ahead a send time is looked for (a calendar that allows no day in ten years has none). */
export const MAX_LOOKAHEAD_DAYS = 3700;

export const parseHhMm = (value: string): { hour: number; minute: number } => {
  const [h, m] = value.split(':');
  return { hour: Number(h), minute: Number(m) };
};

const minutesOf = (value: string): number => {
  const { hour, minute } = parseHhMm(value);
  return hour * 60 + minute;
};

/** A local date on which mail may go out (its weekday is in the window, and it is not a holiday). */
export const isSendDay = (date: LocalDate, calendar: SendCalendar): boolean =>
  !calendar.holidays.has(isoDate(date)) && (calendar.window ? calendar.window.days.includes(weekdayOf(date)) : true);

/** A business day: a weekday of the window (Monday–Friday without one) that is not a holiday. */
export const isBusinessDay = (date: LocalDate, calendar: SendCalendar): boolean =>
  !calendar.holidays.has(isoDate(date)) && (calendar.window?.days ?? WEEKDAYS).includes(weekdayOf(date));

/**
 * `amount` units after `from`. Minutes and hours are elapsed time; days keep the local time of day
 * (so a DST change does not move a 10:00 step to 09:00 or 11:00); business days skip days that are
 * not business days, also keeping the local time of day.
 */
export const addDelay = (from: Date, amount: number, unit: DelayUnit, calendar: SendCalendar): Date => {
  if (unit === 'minutes') return new Date(from.getTime() + amount * 60_000);
  if (unit === 'hours') return new Date(from.getTime() + amount * 3_600_000);
  if (amount === 0) return from;
  const local = toLocal(from, calendar.timeZone);
  let date: LocalDate = { year: local.year, month: local.month, day: local.day };
  if (unit === 'days') date = addLocalDays(date, amount);
  else {
    let left = amount;
    for (let i = 0; left > 0 && i < MAX_LOOKAHEAD_DAYS; i++) {
      date = addLocalDays(date, 1);
      if (isBusinessDay(date, calendar)) left -= 1;
    }
  }
  const moved = fromLocal(date, local.hour, local.minute, calendar.timeZone);
  return new Date(moved.getTime() + local.second * 1000 + (from.getTime() % 1000));
};

/**
 * The earliest instant at or after `due` at which mail may go out: inside the window, in the
 * recipient's time zone, on a day that is not a holiday. A step due at 03:00 goes out when the window
 * opens; one due after it closes goes out the next send day. Undefined if no such day comes within
 * MAX_LOOKAHEAD_DAYS. A window that lies wholly inside a DST gap (clocks skip it) has no time that day.
 */
export const nextSendTime = (due: Date, calendar: SendCalendar): Date | undefined => {
  const local = toLocal(due, calendar.timeZone);
  const first: LocalDate = { year: local.year, month: local.month, day: local.day };
  const window = calendar.window;
  const start = parseHhMm(window?.start ?? '00:00');
  const endMinutes = window ? minutesOf(window.end) : 24 * 60;
  for (let i = 0; i < MAX_LOOKAHEAD_DAYS; i++) {
    const date = addLocalDays(first, i);
    if (!isSendDay(date, calendar)) continue;
    const opens = fromLocal(date, start.hour, start.minute, calendar.timeZone);
    const closes =
      endMinutes >= 24 * 60 ? fromLocal(addLocalDays(date, 1), 0, 0, calendar.timeZone) : fromLocal(date, Math.floor(endMinutes / 60), endMinutes % 60, calendar.timeZone);
    if (due.getTime() >= closes.getTime()) continue;
    const candidate = due.getTime() >= opens.getTime() ? due : opens;
    // A window edge inside a DST gap is shifted as clocks are; a window swallowed by the gap is no window that day.
    if (isInsideWindow(candidate, calendar)) return candidate;
  }
  return undefined;
};

/** True when mail may go out at `at` (what nextSendTime guarantees of its answer). */
export const isInsideWindow = (at: Date, calendar: SendCalendar): boolean => {
  const local = toLocal(at, calendar.timeZone);
  const date: LocalDate = { year: local.year, month: local.month, day: local.day };
  if (!isSendDay(date, calendar)) return false;
  if (!calendar.window) return true;
  const minutes = local.hour * 60 + local.minute;
  return minutes >= minutesOf(calendar.window.start) && minutes < minutesOf(calendar.window.end);
};
