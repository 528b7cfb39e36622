/**
 * Wall-clock arithmetic in an IANA time zone with nothing but `Intl` (full ICU ships with Node):
 * a UTC instant ↔ the local date and time a recipient sees, across DST changes.
 */

/** A local calendar date. `weekday` is ISO (1 = Monday … 7 = Sunday). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
};

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The runtime's canonical IANA zones, plus `UTC` (which `Intl.supportedValuesOf` leaves out). */
const IANA_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
/** IANA names: segments that start with a capital (`Asia/Tokyo`, `Etc/GMT+9`), never offsets or lower case. */
const ZONE_NAME = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*){0,2}$/;

/**
 * True when `timeZone` is an IANA zone name, spelt as IANA spells it (e.g. `Asia/Tokyo`, `UTC`): one the
 * runtime lists, or an alias of one (`Asia/Calcutta`, which Node 20 and 22 list under different names).
 * `Intl` alone would also take `asia/tokyo`, `ASIA/TOKYO` or offsets such as `+09:00` on some versions.
 */
export const TIME_ZONE_MESSAGE = 'Not an IANA time zone (e.g. Asia/Tokyo)';

export const isValidTimeZone = (timeZone: string): boolean => {
  if (IANA_ZONES.has(timeZone)) return true;
  if (timeZone.length > 64 || !ZONE_NAME.test(timeZone)) return false;
  let resolved: string;
  try {
    resolved = formatterFor(timeZone).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  // A runtime that keeps an alias's own name resolves to it; another resolves to the canonical zone, which must be listed and not merely this name in other letters.
  return resolved === timeZone || (IANA_ZONES.has(resolved) && resolved.toLowerCase() !== timeZone.toLowerCase());
};

/** The local date and time in `timeZone` at the instant `at`. */
export const toLocal = (at: Date, timeZone: string): LocalDateTime => {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
  };
};

/** Offset of `timeZone` from UTC at the instant `at`, in milliseconds (Tokyo: +9 h). */
const offsetAt = (at: Date, timeZone: string): number => {
  const l = toLocal(at, timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
};

/**
 * The instant at which clocks in `timeZone` show this local date and time. A time that does not exist
 * (skipped by a spring-forward change) resolves to the same distance after the change, as clocks do
 * (02:30 on a day clocks jump 02:00 → 03:00 is 03:30); an ambiguous one (fall back) to its first occurrence.
 */
export const fromLocal = (date: LocalDate, hour: number, minute: number, timeZone: string): Date => {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute, 0);
  const first = wall - offsetAt(new Date(wall), timeZone);
  const second = wall - offsetAt(new Date(first), timeZone);
  if (first === second) return new Date(first);
  // Two candidates: keep the earlier one that really shows this wall time; else (a gap) the later one.
  const showsWall = (t: number) => {
    const l = toLocal(new Date(t), timeZone);
    return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, 0) === wall;
  };
  const candidates = [first, second].sort((a, b) => a - b);
  const exact = candidates.find(showsWall);
  return new Date(exact ?? Math.max(first, second));
};

/** The local calendar date `days` after `date` (negative goes back). */
export const addLocalDays = (date: LocalDate, days: number): LocalDate => {
  const t = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

/** ISO weekday (1 = Monday … 7 = Sunday) of a local calendar date. */
export const weekdayOf = (date: LocalDate): number => {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return d === 0 ? 7 : d;
};

/** `YYYY-MM-DD` of a local calendar date (the format of holiday calendars). */
export const isoDate = (date: LocalDate): string =>
  `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
