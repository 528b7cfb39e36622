/// <reference lib="dom" />
export { humanise, labelOf, singular } from '../../../shared/domain/records/labels.js';
/**
 * Words people read: values shown by their field's type, in the user's locale and time zone (the
 * browser's), with one date format across the console: the locale's numeric date, as the browser's own
 * date inputs show it.
 */
export interface FieldMeta {
  name: string;
  label: string;
  type: string;
  required?: boolean;
  readOnly?: boolean;
  options?: string[];
  lookupModule?: string;
}
export interface ModuleMeta {
  name: string;
  label: string;
  fields: FieldMeta[];
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 10 });
const currencyFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const DATE_PARTS = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
/** A calendar date (`2027-04-01`) is no instant: shown as it is, whatever the time zone. */
const dateFormat = new Intl.DateTimeFormat(undefined, { ...DATE_PARTS, timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { ...DATE_PARTS, hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

/** A date (`YYYY-MM-DD`) in the locale's numeric format. */
export const formatDate = (value: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m ? dateFormat.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))) : value;
};

/** An instant in the user's time zone, with the zone named. */
export const formatDateTime = (value: string): string => {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : dateTimeFormat.format(at);
};

/** A value as a person reads it: numbers with separators, dates in the locale, booleans as words, a dash for nothing. */
export const formatValue = (field: Pick<FieldMeta, 'type'> | undefined, value: unknown, names: { users?: Record<string, string> } = {}): string => {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map((v) => formatValue(field, v, names)).join(', ') : '—';
  switch (field?.type) {
    case 'boolean':
      return value === true ? 'Yes' : value === false ? 'No' : String(value);
    case 'number':
      return typeof value === 'number' ? numberFormat.format(value) : String(value);
    case 'currency':
      return typeof value === 'number' ? currencyFormat.format(value) : String(value);
    case 'percent':
      return typeof value === 'number' ? `${numberFormat.format(value)} %` : String(value);
    case 'date':
      return typeof value === 'string' ? formatDate(value) : String(value);
    case 'datetime':
      return typeof value === 'string' ? formatDateTime(value) : String(value);
    case 'user':
      return names.users?.[String(value)] ?? String(value);
    default:
      if (typeof value === 'boolean') return value ? 'Yes' : 'No';
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
};

/** How long, in words: 90 000 ms → "1 min 30 s", 3 days → "3 d". */
export const formatDuration = (ms: number | null | undefined): string => {
  if (ms === null || ms === undefined) return '—';
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000]];
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 && parts.length < 2) parts.push(`${n} ${unit}`);
    rest -= n * size;
  }
  return parts.length ? parts.join(' ') : '0 s';
};

export const formatPercent = (ratio: number | null | undefined): string => (ratio === null || ratio === undefined ? '—' : `${Math.round(ratio * 1000) / 10} %`);

