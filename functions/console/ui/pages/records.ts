/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { formatDateTime, formatValue, singular } from '../format.js';
import { Empty, FieldList, PageTitle, Pending, titleOf } from '../parts.js';
import { go, href } from '../router.js';
import { useLoad, useSession } from '../session.js';

export interface RecordView {
  id: string;
  module: string;
  version: number;
  ownerId: string;
  fields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  lock?: { reason: string };
}
interface Kanban {
  columns: Array<{ value: string; count: number; records: RecordView[] }>;
}
const TITLE_FIELDS = new Set(['name', 'subject', 'title', 'firstName', 'lastName']);
const COLUMNS = 4;

/** A module's records as a list (newest change first, paged) or as a kanban of one of its picklists. */
export const RecordsPage = ({ query }: { query: URLSearchParams }) => {
  const { token, modules, users } = useSession();
  const names = Object.values(modules).sort((a, b) => a.label.localeCompare(b.label));
  const moduleName = query.get('module') ?? 'Leads';
  const module = modules[moduleName];
  const picklists = module?.fields.filter((f) => f.type === 'picklist') ?? [];
  const view = query.get('view') === 'kanban' ? 'kanban' : 'list';
  // A kanban groups by the module's status or stage when it has one.
  const groupBy = query.get('groupBy') ?? (picklists.find((f) => /status|stage/i.test(f.name)) ?? picklists[0])?.name ?? '';
  const [more, setMore] = useState<{ items: RecordView[]; cursor?: string }>({ items: [] });
  const [list, error] = useLoad(async () => {
    setMore({ items: [] });
    if (view === 'kanban') return { kanban: groupBy ? await call<Kanban>(token, 'GET', `/v1/records/${moduleName}/kanban?groupBy=${groupBy}&limit=10`) : null };
    const page = await call<{ items: RecordView[]; nextCursor?: string }>(token, 'GET', `/v1/records/${moduleName}?limit=25`);
    setMore({ items: page.items, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) });
    return { kanban: null };
  }, [moduleName, view, groupBy]);
  const loadMore = async () => {
    const page = await call<{ items: RecordView[]; nextCursor?: string }>(token, 'GET', `/v1/records/${moduleName}?limit=25&cursor=${encodeURIComponent(more.cursor!)}`);
    setMore({ items: [...more.items, ...page.items], ...(page.nextCursor ? { cursor: page.nextCursor } : {}) });
  };
  const columns = module?.fields.filter((f) => !TITLE_FIELDS.has(f.name) && f.type !== 'textarea').slice(0, COLUMNS) ?? [];
  const open = (id: string) => href('record', { module: moduleName, id });
  const to = (change: Record<string, string | undefined>) => go('records', { module: moduleName, view, ...(view === 'kanban' ? { groupBy } : {}), ...change });

  return html`<section class="records-page">
    <${PageTitle} title=${module?.label ?? moduleName} />
    <div class="toolbar">
      <label>Module <select name="module" value=${moduleName} onChange=${(e: Event) => go('records', { module: (e.target as HTMLSelectElement).value, view })}>
        ${names.map((m) => html`<option value=${m.name}>${m.label}</option>`)}
      </select></label>
      <div class="segmented" role="group" aria-label="View">
        <a href=${href('records', { module: moduleName })} aria-current=${view === 'list' ? 'page' : undefined}>List</a>
        ${picklists.length ? html`<a href=${href('records', { module: moduleName, view: 'kanban', groupBy })} aria-current=${view === 'kanban' ? 'page' : undefined}>Kanban</a>` : null}
      </div>
      ${view === 'kanban'
        ? html`<label>Group by <select name="groupBy" value=${groupBy} onChange=${(e: Event) => to({ groupBy: (e.target as HTMLSelectElement).value })}>
            ${picklists.map((f) => html`<option value=${f.name}>${f.label}</option>`)}
          </select></label>`
        : null}
    </div>
    ${!list ? html`<${Pending} error=${error} />` : null}
    ${list && view === 'list'
      ? more.items.length
        ? html`<table class="table">
            <thead><tr><th scope="col">${singular(module?.label ?? moduleName)}</th>${columns.map((f) => html`<th scope="col">${f.label}</th>`)}<th scope="col">Owner</th><th scope="col">Updated</th></tr></thead>
            <tbody>${more.items.map(
              (r) => html`<tr data-record=${r.id}><td><a href=${open(r.id)}>${titleOf(r.fields, r.id)}</a></td>${columns.map((f) => html`<td>${formatValue(f, r.fields[f.name], { users })}</td>`)}<td>${users[r.ownerId] ?? r.ownerId}</td><td>${formatDateTime(r.updatedAt)}</td></tr>`,
            )}</tbody>
          </table>
          ${more.cursor ? html`<button name="more" onClick=${() => void loadMore()}>Show more</button>` : null}`
        : html`<${Empty} text="No records yet." />`
      : null}
    ${list?.kanban
      ? html`<div class="columns">${list.kanban.columns.map(
          (c) => html`<div class="column" data-column=${c.value}><h2>${c.value} <span class="count">${c.count}</span></h2>
            ${c.records.map((r) => html`<a class="card" href=${open(r.id)}>${titleOf(r.fields, r.id)}</a>`)}</div>`,
        )}</div>`
      : null}
  </section>`;
};

/** One record: its fields by label, who owns it, and for a lead, its story in the replay. */
export const RecordPage = ({ query }: { query: URLSearchParams }) => {
  const { token, modules, users } = useSession();
  const moduleName = query.get('module') ?? '';
  const id = query.get('id') ?? '';
  const module = modules[moduleName];
  const [record, error] = useLoad(() => call<RecordView>(token, 'GET', `/v1/records/${encodeURIComponent(moduleName)}/${encodeURIComponent(id)}`), [moduleName, id]);
  if (!record) return html`<section><${PageTitle} title=${singular(module?.label ?? moduleName)} back=${['records', module?.label ?? 'Records']} /><${Pending} error=${error} /></section>`;
  return html`<section class="record-page" data-record=${record.id}>
    <${PageTitle} title=${titleOf(record.fields, record.id)} back=${[`records?module=${moduleName}`, module?.label ?? moduleName]}>
      <p class="subtitle">${singular(module?.label ?? moduleName)} · owned by ${users[record.ownerId] ?? record.ownerId} · updated ${formatDateTime(record.updatedAt)}${record.lock ? ` · locked (${record.lock.reason})` : ''}</p>
    </${PageTitle}>
    <div class="panel"><${FieldList} module=${module} fields=${record.fields} /></div>
    ${moduleName === 'Leads' ? html`<p><a class="button" href=${href('replay', { lead: record.id })}>Replay this customer’s story</a></p>` : null}
  </section>`;
};
