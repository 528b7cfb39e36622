/**
 * Merge-field templates of email alerts, tasks and notifications: `{{fieldName}}`, `{{record.id}}`,
 * `{{owner.name}}`… Values are inserted as text; in HTML they are escaped, so a field value can never
 * inject markup. The template itself (written by an admin) is trusted.
 */

/** `{{ name }}`: a merge field; names are letters, digits, `_` and dots. */
const MERGE_FIELD = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;

export type TemplateValue = string | number | boolean | readonly string[] | null | undefined;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);

const asText = (value: TemplateValue): string => {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
};

/** The merge fields a template names, in order of first use (for validation at save). */
export const mergeFieldsOf = (template: string): string[] => [...new Set([...template.matchAll(MERGE_FIELD)].map((m) => m[1] as string))];

export interface RenderOptions {
  /** Escape values for HTML. */
  html?: boolean;
  /** A single line (an email subject, a title): line breaks in values become spaces (no header injection). */
  singleLine?: boolean;
}

/**
 * Replaces each `{{name}}` with `values[name]` (arrays joined with ", ", absent values empty).
 * Values are never re-scanned for merge fields, so a value containing `{{x}}` stays literal.
 */
export const renderTemplate = (template: string, values: Readonly<Record<string, TemplateValue>>, options: RenderOptions = {}): string => {
  const rendered = template.replace(MERGE_FIELD, (_m, name: string) => {
    let text = asText(Object.hasOwn(values, name) ? values[name] : undefined);
    if (options.singleLine) text = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
    return options.html ? escapeHtml(text) : text;
  });
  return options.singleLine ? rendered.replace(/[\r\n]+/g, ' ') : rendered;
};
