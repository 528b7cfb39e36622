/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { formatDateTime } from '../format.js';
import { Empty, PageTitle, Pending, titleOf } from '../parts.js';
import { href } from '../router.js';
import { useServerAction } from '../runners.js';
import { ScreenRenderer, type Screen } from '../screen-renderer.js';
import { useLoad, useSession } from '../session.js';

interface TeamSpace {
  id: string;
  name: string;
  description?: string;
  role?: string;
}
interface TeamSpaceDetail extends TeamSpace {
  tabs: Array<{ module: string; label: string; kind: 'org' | 'team' }>;
}
interface Request {
  id: string;
  module: string;
  status: string;
  requesterId: string;
  assigneeId?: string;
  fields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}
interface RequestForm {
  module: string;
  label: string;
  fields: Array<{ name: string; label: string; type: string; required: boolean; options?: string[] }>;
}

/** The team spaces I belong to, each with its tabs: org modules open their records, team modules their request queue. */
export const TeamsPage = () => {
  const { token } = useSession();
  const [spaces, error] = useLoad(async () => {
    const list = await call<{ items: TeamSpace[] }>(token, 'GET', '/v1/team-spaces?limit=200');
    return Promise.all(list.items.map(async (s) => ({ ...(await call<TeamSpaceDetail>(token, 'GET', `/v1/team-spaces/${s.id}`)), role: s.role })));
  }, []);
  return html`<section>
    <${PageTitle} title="Team spaces" />
    <p><a href=${href('requests')}>My Requests</a>: what you asked teams for.</p>
    ${!spaces ? html`<${Pending} error=${error} />` : !spaces.length ? html`<${Empty} text="You are in no team space." />` : null}
    <ul class="cards">${spaces?.map(
      (s) => html`<li class="panel" data-team=${s.name}><h2>${s.name}</h2><p class="note">${s.description ?? ''}${s.role ? ` · your role: ${s.role}` : ''}</p>
        <ul class="tabs">${s.tabs.map((t) => html`<li><a href=${t.kind === 'team' ? href('team-requests', { module: t.module }) : href('records', { module: t.module })}>${t.label}</a>${t.kind === 'team' ? html` <small>requests</small>` : null}</li>`)}</ul></li>`,
    )}</ul>
  </section>`;
};

const RequestTable = ({ requests, showRequester }: { requests: Request[]; showRequester: boolean }) => {
  const { users } = useSession();
  return html`<table class="table">
    <thead><tr><th scope="col">Request</th><th scope="col">Status</th>${showRequester ? html`<th scope="col">Requester</th>` : null}<th scope="col">Assignee</th><th scope="col">Submitted</th><th scope="col">Updated</th></tr></thead>
    <tbody>${requests.map(
      (r) => html`<tr data-request=${r.id}><td>${titleOf(r.fields, r.id)}</td><td><span class="badge">${r.status}</span></td>${showRequester ? html`<td>${users[r.requesterId] ?? r.requesterId}</td>` : null}
        <td>${r.assigneeId ? (users[r.assigneeId] ?? r.assigneeId) : '—'}</td><td>${formatDateTime(r.createdAt)}</td><td>${formatDateTime(r.updatedAt)}</td></tr>`,
    )}</tbody>
  </table>`;
};

/** A team module's queue (the team's side). */
export const TeamRequestsPage = ({ query }: { query: URLSearchParams }) => {
  const { token } = useSession();
  const module = query.get('module') ?? '';
  const [requests, error] = useLoad(() => call<{ items: Request[] }>(token, 'GET', `/v1/team-modules/${encodeURIComponent(module)}/requests?limit=200`), [module]);
  return html`<section>
    <${PageTitle} title=${`${module}: requests`} back=${['teams', 'Team spaces']} />
    ${!requests ? html`<${Pending} error=${error} />` : requests.items.length ? html`<${RequestTable} requests=${requests.items} showRequester=${true} />` : html`<${Empty} text="No requests yet." />`}
  </section>`;
};

/** A team module's request form as a screen, from its metadata. */
const formScreen = (form: RequestForm): Screen => ({
  id: `request-${form.module}`,
  title: `New request: ${form.label}`,
  components: form.fields.map((f) => ({ id: f.name, kind: 'input', type: f.type, label: f.label, required: f.required, ...(f.options ? { options: f.options.map((o) => ({ value: o, label: o })) } : {}) })),
});

const NewRequest = ({ module, onSent }: { module: string; onSent: () => void }) => {
  const { token } = useSession();
  const [form, error] = useLoad(() => call<RequestForm>(token, 'GET', `/v1/team-modules/${encodeURIComponent(module)}/request-form`), [module]);
  const { errors, busy, perform } = useServerAction();
  const [round, setRound] = useState(0);
  if (!form) return html`<${Pending} error=${error} />`;
  return html`<${ScreenRenderer} key=${round} screen=${formScreen(form)} errors=${errors} busy=${busy} submitLabel="Send request"
    onSubmit=${(values: Record<string, unknown>) =>
      void perform(async () => {
        const fields = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
        await call(token, 'POST', `/v1/team-modules/${encodeURIComponent(module)}/requests`, { fields });
        setRound((r) => r + 1);
        onSent();
      })} />`;
};

/** My Requests: what I asked teams for and where each stands; a new one for any team module I may ask. */
export const MyRequestsPage = () => {
  const { token, me } = useSession();
  const [requests, error, reload] = useLoad(() => call<{ items: Request[] }>(token, 'GET', '/v1/my-requests?limit=200'), []);
  const [asking, setAsking] = useState('');
  const [sent, setSent] = useState(false);
  return html`<section>
    <${PageTitle} title="My Requests" />
    ${sent ? html`<p class="note" role="status">Request sent.</p>` : null}
    ${!requests ? html`<${Pending} error=${error} />` : requests.items.length ? html`<${RequestTable} requests=${requests.items} showRequester=${false} />` : html`<${Empty} text="You have not asked for anything yet." />`}
    ${me.requesterOf.length
      ? html`<h2>Ask a team</h2>
          <div class="buttons start">${me.requesterOf.map((m) => html`<button name=${`ask-${m}`} aria-pressed=${asking === m ? 'true' : 'false'} onClick=${() => { setAsking(m); setSent(false); }}>${m}</button>`)}</div>
          ${asking ? html`<${NewRequest} key=${asking} module=${asking} onSent=${() => { setSent(true); setAsking(''); reload(); }} />` : null}`
      : null}
  </section>`;
};
