import { createHash } from 'node:crypto';
import type { ModuleMetadata } from './module-definition.js';
import { normaliseEmail, phoneToE164 } from './normalise.js';

/**
 * The right to be forgotten, as pure functions: which values of a record are personal, and how any
 * stored value (an item, a history entry, a JSON string inside one) is rewritten without them.
 * The one representation of an erased value everywhere (record history, enrollments, replay): ERASED.
 */
export const ERASED = '[erased]';

/** The names of a module's fields marked `personal` (names, emails, phones, addresses…). */
export const personalFieldNames = (module: Pick<ModuleMetadata, 'fields'>): string[] => module.fields.filter((f) => f.personal === true).map((f) => f.name);

/** Shorter values are not hunted for inside other texts (a one-letter name would erase every "a"). */
export const MIN_HUNTED_LENGTH = 2;

/**
 * Every form in which a record's personal values may have been copied elsewhere: each value as
 * written, trimmed, the words of multi-word texts, an email normalised, a phone in E.164 and in its
 * bare digits. Longest first, so that an email is replaced before a name inside it.
 */
export const personalValues = (module: Pick<ModuleMetadata, 'fields'>, fields: Record<string, unknown>, defaultRegion: string): string[] => {
  const found = new Set<string>();
  const add = (value: string) => {
    const trimmed = value.trim();
    if (trimmed.length >= MIN_HUNTED_LENGTH) found.add(trimmed);
  };
  for (const field of module.fields) {
    if (!field.personal) continue;
    const value = fields[field.name];
    const texts = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'number' ? [String(value)] : [];
    for (const text of texts) {
      add(text);
      for (const word of text.split(/\s+/)) add(word);
      if (field.type === 'email') add(normaliseEmail(text));
      if (field.type === 'phone') {
        const e164 = phoneToE164(text, defaultRegion);
        if (e164) {
          add(e164);
          add(e164.replace(/^\+/, ''));
        }
        const digits = text.replace(/\D/g, '');
        add(digits);
        // The national number without its trunk prefix (090-… → 90…), as E.164 carries it.
        if (digits.startsWith('0')) add(digits.slice(1));
      }
    }
  }
  return [...found].sort((a, b) => b.length - a.length || a.localeCompare(b));
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A scrubber for a set of personal values: each occurrence, in any casing, that stands as a whole
 * word (not inside a longer word or number) becomes ERASED. JSON text is text: values inside nested
 * JSON strings are found the same way.
 */
export const valueScrubber = (values: readonly string[]): ((text: string) => string) => {
  if (values.length === 0) return (text) => text;
  const alternatives = values.map(escapeRegExp).join('|');
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'giu');
  return (text) => text.replace(pattern, ERASED);
};

/**
 * Rewrites any stored value (strings, arrays, objects at any depth, object keys included) with every
 * personal value erased. Values without them come back unchanged (same reference), so a caller can
 * tell whether anything needs writing.
 */
export const scrubDeep = (value: unknown, scrub: (text: string) => string): unknown => {
  if (typeof value === 'string') {
    const next = scrub(value);
    return next === value ? value : next;
  }
  if (Array.isArray(value)) {
    const next = value.map((v) => scrubDeep(v, scrub));
    return next.some((v, i) => v !== value[i]) ? next : value;
  }
  if (value instanceof Uint8Array || value instanceof Set || value === null || typeof value !== 'object') return value;
  let changed = false;
  const next: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const newKey = scrub(key);
    const newValue = scrubDeep(v, scrub);
    if (newKey !== key || newValue !== v) changed = true;
    next[newKey] = newValue;
  }
  return changed ? next : value;
};

/** A history change of a personal field: both sides become ERASED (a cleared side stays null). */
export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}
export const eraseChanges = (changes: readonly FieldChange[], personal: ReadonlySet<string>): FieldChange[] =>
  changes.map((c) => (personal.has(c.field) ? { field: c.field, old: c.old === null || c.old === undefined ? c.old : ERASED, new: c.new === null || c.new === undefined ? c.new : ERASED } : c));

/**
 * The record's fields after erasure: personal fields removed (the record no longer has a value for
 * them), and any other text that quotes a personal value scrubbed.
 */
export const eraseFields = (fields: Record<string, unknown>, personal: ReadonlySet<string>, scrub: (text: string) => string): Record<string, unknown> => {
  const kept = Object.fromEntries(Object.entries(fields).filter(([name]) => !personal.has(name)));
  return scrubDeep(kept, scrub) as Record<string, unknown>;
};

/**
 * The digest that stands for an email address where it must stay recognisable without being kept
 * (an erased address stays suppressed; logs and mail markers name recipients by it). SHA-256 of the
 * trimmed, lower-cased address, hex.
 */
export const addressDigest = (address: string): string => createHash('sha256').update(normaliseEmail(address)).digest('hex');
