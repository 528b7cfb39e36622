/// <reference lib="dom" />
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { call } from './api.js';
import { formatValue, singular, type ModuleMeta } from './format.js';
import type { RecordView } from './pages/records.js';
import { href } from './router.js';
import { useLoad, useSession } from './session.js';

/** A page's title, with the way back to where it was reached from. */
export const PageTitle = ({ title, back = ['', 'Home'], children }: { title: string; back?: [string, string] | null; children?: ComponentChildren }) =>
  html`<div class="page-title">
    ${back ? html`<a class="back" href=${href(back[0])}>← ${back[1]}</a>` : null}
    <h1>${title}</h1>
    ${children}
  </div>`;

export const Problem = ({ message }: { message: string }) => (message ? html`<p class="error" role="alert">${message}</p>` : null);

/** Loading, a failure, or nothing to show: one way for every page to say so. */
export const Pending = ({ error, what = 'Loading…' }: { error: string; what?: string }) => (error ? html`<${Problem} message=${error} />` : html`<p class="note">${what}</p>`);

export const Empty = ({ text }: { text: string }) => html`<p class="note empty">${text}</p>`;

/** How a person would name a record: its name, subject or first and last name. */
export const titleOf = (fields: Readonly<Record<string, unknown>>, fallback: string): string => {
  const person = [fields.firstName, fields.lastName].filter((x) => typeof x === 'string' && x).join(' ');
  const title = fields.name ?? fields.subject ?? fields.title ?? (person || undefined);
  return typeof title === 'string' && title ? title : fallback;
};

/** A record's fields as label: value, in the module's field order, formatted by type; lookups link to their record. */
export const FieldList = ({ module, fields, hide = [] }: { module: ModuleMeta | undefined; fields: Record<string, unknown>; hide?: string[] }) => {
  const { users } = useSession();
  const known = module?.fields.filter((f) => f.name in fields && !hide.includes(f.name)) ?? [];
  const unknown = Object.keys(fields).filter((k) => !known.some((f) => f.name === k) && !hide.includes(k));
  return html`<dl class="fields">
    ${known.map((f) => {
      const value = fields[f.name];
      const shown = formatValue(f, value, { users });
      return html`<dt>${f.label}</dt><dd data-field=${f.name}>${f.type === 'lookup' && typeof value === 'string' && f.lookupModule ? html`<a href=${href('record', { module: f.lookupModule, id: value })}>${shown}</a>` : shown}</dd>`;
    })}
    ${unknown.map((k) => html`<dt>${k}</dt><dd data-field=${k}>${formatValue(undefined, fields[k], { users })}</dd>`)}
  </dl>`;
};

/** The record a piece of work is about, named as a person would (its id if the user may not read it). */
const useRecordName = (module: string | undefined, id: string | undefined) => {
  const { token } = useSession();
  const [record] = useLoad(async () => (module && id ? call<RecordView>(token, 'GET', `/v1/records/${module}/${id}`).catch(() => null) : null), [module, id]);
  return record ? titleOf(record.fields, id ?? '') : (id ?? '');
};

/** A link to a record, named by its module's singular label and its title. */
export const RelatedLink = ({ module, id }: { module?: string; id?: string }) => {
  const { modules } = useSession();
  const name = useRecordName(module, id);
  if (!module || !id) return null;
  return html`<a href=${href('record', { module, id })}>${singular(modules[module]?.label ?? module)} ${name}</a>`;
};
