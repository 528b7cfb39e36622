/// <reference lib="dom" />
import { html } from 'htm/preact';
import { call } from '../api.js';
import { Empty, PageTitle, Pending } from '../parts.js';
import { href } from '../router.js';
import { mayTryDrafts, useLoad, useSession } from '../session.js';

interface Cadence {
  id: string;
  name: string;
  module: string;
  active: boolean;
  description?: string;
}
interface CadenceReport {
  name: string;
  enrollments: Record<'total' | 'active' | 'paused' | 'completed' | 'unenrolled', number>;
  steps: Array<{ stepId: string; name: string; type: string; sent: number; delivered: number; opened: number; clicked: number; replied: number; bounced: number; complained: number; tasksCreated: number; skipped: number; failed: number }>;
}

export const CadencesPage = () => {
  const { token, modules } = useSession();
  const [cadences, error] = useLoad(() => call<{ items: Cadence[] }>(token, 'GET', '/v1/cadences?limit=200'), []);
  return html`<section>
    <${PageTitle} title="Cadences" />
    ${!cadences ? html`<${Pending} error=${error} />` : !cadences.items.length ? html`<${Empty} text="No cadences defined." />` : null}
    <ul class="cards">${cadences?.items.map(
      (c) => html`<li class="panel"><h2><a href=${href('cadence', { id: c.id })}>${c.name}</a></h2><p class="note">${modules[c.module]?.label ?? c.module} · ${c.active ? 'active' : 'inactive'}${c.description ? ` · ${c.description}` : ''}</p></li>`,
    )}</ul>
  </section>`;
};

const STEP_TYPES: Record<string, string> = { email: 'Email', call: 'Call', task: 'Task' };

/** A cadence's report: who is enrolled, and what each step did (emails sent, opened, replied; tasks created). */
export const CadencePage = ({ query }: { query: URLSearchParams }) => {
  const { token, me } = useSession();
  const id = query.get('id') ?? '';
  const [report, error] = useLoad(() => call<CadenceReport>(token, 'GET', `/v1/cadences/${encodeURIComponent(id)}/report`), [id]);
  if (!report) return html`<section><${PageTitle} title="Cadence" back=${['cadences', 'Cadences']} /><${Pending} error=${error} /></section>`;
  const e = report.enrollments;
  return html`<section class="cadence-page">
    <${PageTitle} title=${report.name} back=${['cadences', 'Cadences']}>
      ${mayTryDrafts(me) ? html`<a class="button" name="try-change" href=${href('definition', { kind: 'cadence', id })}>Try a change on the last 30 days</a>` : null}
    </${PageTitle}>
    <dl class="stats">
      <div><dt>Enrolled</dt><dd>${e.total}</dd></div><div><dt>Active</dt><dd>${e.active}</dd></div><div><dt>Paused</dt><dd>${e.paused}</dd></div>
      <div><dt>Completed</dt><dd>${e.completed}</dd></div><div><dt>Left</dt><dd>${e.unenrolled}</dd></div>
    </dl>
    <h2>Steps</h2>
    <table class="table" data-report="steps">
      <thead><tr><th scope="col">Step</th><th scope="col">Kind</th><th scope="col">Sent</th><th scope="col">Delivered</th><th scope="col">Opened</th><th scope="col">Clicked</th><th scope="col">Replied</th><th scope="col">Bounced</th><th scope="col">Tasks</th><th scope="col">Skipped</th><th scope="col">Failed</th></tr></thead>
      <tbody>${report.steps.map(
        (s) => html`<tr data-step=${s.stepId}><th scope="row">${s.name}</th><td>${STEP_TYPES[s.type] ?? s.type}</td><td>${s.sent}</td><td>${s.delivered}</td><td>${s.opened}</td><td>${s.clicked}</td><td>${s.replied}</td><td>${s.bounced}</td><td>${s.tasksCreated}</td><td>${s.skipped}</td><td>${s.failed}</td></tr>`,
      )}</tbody>
    </table>
  </section>`;
};
