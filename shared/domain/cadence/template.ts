/**
 * Merge fields of cadence templates: `{{fieldName}}` (a field of the record), `{{record.id}}`,
 * `{{owner.name}}`, `{{owner.email}}`, `{{sender.name}}`. Values are escaped in HTML; a field the
 * record does not have renders empty.
 */
const MERGE_FIELD = /\{\{\s*([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)?)\s*\}\}/g;

export const SPECIAL_MERGE_FIELDS = ['record.id', 'owner.name', 'owner.email', 'sender.name'] as const;

/** The merge field names a template uses, in order of appearance (duplicates kept once). */
export const mergeFieldsOf = (template: string): string[] => [...new Set([...template.matchAll(MERGE_FIELD)].map((m) => m[1] ?? ''))];

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** A header-safe value: no CR/LF (a merge value cannot add a header line to the subject). */
const singleLine = (value: string): string => value.replace(/[\r\n]+/g, ' ');

export type MergeValues = Readonly<Record<string, string>>;

const valueOf = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  return String(value);
};

/** The values merge fields read: the record's fields plus the special ones. */
export const mergeValues = (fields: Readonly<Record<string, unknown>>, extra: { recordId: string; ownerName?: string; ownerEmail?: string; senderName: string }): MergeValues => ({
  ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, valueOf(v)])),
  'record.id': extra.recordId,
  'owner.name': extra.ownerName ?? '',
  'owner.email': extra.ownerEmail ?? '',
  'sender.name': extra.senderName,
});

export type RenderMode = 'text' | 'html' | 'header';

export const renderTemplate = (template: string, values: MergeValues, mode: RenderMode): string =>
  template.replace(MERGE_FIELD, (_, name: string) => {
    const value = Object.hasOwn(values, name) ? (values[name] ?? '') : '';
    if (mode === 'html') return escapeHtml(value);
    if (mode === 'header') return singleLine(value);
    return value;
  });
