/// <reference lib="dom" />
import { render } from 'preact';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from './api.js';
import { ReplayPicker, ReplayView } from './replay.js';
import { KioskRunner, WizardRunner } from './runners.js';

interface Named {
  id: string;
  name: string;
}
interface DevUser {
  userId: string;
  name: string;
  token: string;
}
interface Module {
  name: string;
  label: string;
  fields: Array<{ name: string; label: string; type: string }>;
}
interface Kanban {
  columns: Array<{ value: string; count: number; records: Array<{ id: string; fields: Record<string, unknown> }> }>;
}

const TOKEN_KEY = 'keiro.console.token';

/** The replay has an address of its own (`#/replay?lead=<id>`), so a story can be linked to and reloaded. */
const replayLeadOf = (hash: string): string | null => (hash.startsWith('#/replay') ? new URLSearchParams(hash.split('?')[1] ?? '').get('lead') : null);
const useReplayRoute = () => {
  const [lead, setLead] = useState(replayLeadOf(location.hash));
  useEffect(() => {
    const follow = () => setLead(replayLeadOf(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  const open = (id: string | null) => {
    location.hash = id ? `#/replay?lead=${encodeURIComponent(id)}` : '';
  };
  return [lead, open] as const;
};

/** Locally, the dev-only route lists the seeded users with tokens; a deployment answers 404 and the page asks for a token. */
const SignIn = ({ onToken }: { onToken: (token: string) => void }) => {
  const [users, setUsers] = useState<DevUser[]>([]);
  const [pasted, setPasted] = useState('');
  useEffect(() => {
    call<{ items: DevUser[] }>(null, 'GET', '/v1/dev/tokens').then((r) => setUsers(r.items), () => setUsers([]));
  }, []);
  return html`<section class="sign-in">
    <h1>Keiro console</h1>
    ${users.length > 0
      ? html`<h2>Sign in as a demo user</h2><div class="users">${users.map(
          (u) => html`<button name=${`user-${u.userId}`} onClick=${() => onToken(u.token)}>${u.name} <small>${u.userId}</small></button>`,
        )}</div>`
      : null}
    <h2>Or paste a bearer token</h2>
    <form onSubmit=${(e: Event) => { e.preventDefault(); if (pasted.trim()) onToken(pasted.trim()); }}>
      <textarea name="token" rows="3" value=${pasted} onInput=${(e: Event) => setPasted((e.target as HTMLTextAreaElement).value)}></textarea>
      <button type="submit" class="primary">Use this token</button>
    </form>
  </section>`;
};

/** A module's kanban: one column per value of a picklist field, with counts and the first cards. */
const KanbanView = ({ token }: { token: string }) => {
  const [modules, setModules] = useState<Module[]>([]);
  const [module, setModule] = useState('');
  const [field, setField] = useState('');
  const [board, setBoard] = useState<Kanban | null>(null);
  const [error, setError] = useState('');
  useEffect(() => void call<{ items: Module[] }>(token, 'GET', '/v1/modules?limit=200').then((r) => setModules(r.items), (e: Error) => setError(e.message)), [token]);
  const picklists = modules.find((m) => m.name === module)?.fields.filter((f) => f.type === 'picklist') ?? [];
  useEffect(() => {
    setBoard(null);
    if (module && field) call<Kanban>(token, 'GET', `/v1/records/${module}/kanban?groupBy=${field}&limit=5`).then(setBoard, (e: Error) => setError(e.message));
  }, [module, field]);
  return html`<section class="kanban">
    <h2>Kanban</h2>
    <select name="kanban-module" value=${module} onChange=${(e: Event) => { setModule((e.target as HTMLSelectElement).value); setField(''); }}>
      <option value="">Module…</option>${modules.map((m) => html`<option value=${m.name}>${m.label}</option>`)}
    </select>
    <select name="kanban-field" value=${field} onChange=${(e: Event) => setField((e.target as HTMLSelectElement).value)}>
      <option value="">Group by…</option>${picklists.map((f) => html`<option value=${f.name}>${f.label}</option>`)}
    </select>
    ${error ? html`<p class="error">${error}</p>` : null}
    ${board
      ? html`<div class="columns">${board.columns.map(
          (c) => html`<div class="column"><h3>${c.value} <span class="count">${c.count}</span></h3>
            ${c.records.map((r) => html`<div class="card">${String(r.fields.name ?? r.fields.subject ?? r.fields.lastName ?? r.fields.title ?? r.id)}</div>`)}</div>`,
        )}</div>`
      : null}
  </section>`;
};

const Home = ({ token, onSignOut }: { token: string; onSignOut: () => void }) => {
  const [me, setMe] = useState<{ id: string; name?: string } | null>(null);
  const [wizards, setWizards] = useState<Named[]>([]);
  const [kiosks, setKiosks] = useState<Named[]>([]);
  const [running, setRunning] = useState<{ kind: 'wizard' | 'kiosk'; item: Named } | null>(null);
  const [error, setError] = useState('');
  const [replayLead, openReplay] = useReplayRoute();
  useEffect(() => {
    Promise.all([
      call<{ id: string; name?: string }>(token, 'GET', '/v1/me'),
      call<{ items: Named[] }>(token, 'GET', '/v1/wizards'),
      call<{ items: Named[] }>(token, 'GET', '/v1/kiosks'),
    ]).then(([m, w, k]) => {
      setMe(m);
      setWizards(w.items);
      setKiosks(k.items);
    }, (e: Error) => setError(e.message));
  }, [token, running]);
  if (running?.kind === 'wizard') return html`<${WizardRunner} token=${token} wizard=${running.item} onClose=${() => setRunning(null)} />`;
  if (running?.kind === 'kiosk') return html`<${KioskRunner} token=${token} kiosk=${running.item} onClose=${() => setRunning(null)} />`;
  if (replayLead) return html`<${ReplayView} key=${replayLead} token=${token} leadId=${replayLead} onClose=${() => openReplay(null)} />`;
  return html`<section class="home">
    <header><h1>Keiro console</h1><span class="me">${me ? `${me.name ?? me.id}` : ''}</span><button name="sign-out" class="link" onClick=${onSignOut}>Sign out</button></header>
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <div class="lists">
      <div><h2>Wizards</h2><ul>${wizards.map((w) => html`<li><button name=${`wizard-${w.name}`} onClick=${() => setRunning({ kind: 'wizard', item: w })}>${w.name}</button></li>`)}</ul></div>
      <div><h2>Kiosks</h2><ul>${kiosks.map((k) => html`<li><button name=${`kiosk-${k.name}`} onClick=${() => setRunning({ kind: 'kiosk', item: k })}>${k.name}</button></li>`)}</ul></div>
    </div>
    <${KanbanView} token=${token} />
    <${ReplayPicker} token=${token} onOpen=${openReplay} />
  </section>`;
};

const App = () => {
  const [token, setToken] = useState<string | null>(sessionStorage.getItem(TOKEN_KEY));
  const use = (t: string | null) => {
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
    setToken(t);
  };
  return token ? html`<${Home} token=${token} onSignOut=${() => use(null)} />` : html`<${SignIn} onToken=${use} />`;
};

render(html`<${App} />`, document.getElementById('app')!);
