/// <reference lib="dom" />
import { render } from 'preact';
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from './api.js';
import { CadencePage, CadencesPage } from './pages/cadences.js';
import { DefinitionPage } from './pages/definition.js';
import { DefinitionsPage } from './pages/definitions.js';
import { Home } from './pages/home.js';
import { JourneyPage, JourneysPage } from './pages/journeys.js';
import { RecordPage, RecordsPage } from './pages/records.js';
import { KioskPage, KiosksPage, WizardPage, WizardsPage } from './pages/screens.js';
import { MyRequestsPage, TeamRequestsPage, TeamsPage } from './pages/teams.js';
import { InboxPage, TasksPage } from './pages/work.js';
import { Pending } from './parts.js';
import { ReplayPage } from './replay.js';
import { href, useRoute } from './router.js';
import { SessionContext, displayName, loadSession, type Session } from './session.js';

interface DevUser {
  userId: string;
  name: string;
  token: string;
}

const TOKEN_KEY = 'keiro.console.token';

/** Locally, the dev-only route lists the seeded users with tokens; a deployment answers 404 and the page asks for a token. */
const SignIn = ({ onToken, problem }: { onToken: (token: string) => void; problem: string }) => {
  const [users, setUsers] = useState<DevUser[]>([]);
  const [pasted, setPasted] = useState('');
  useEffect(() => {
    call<{ items: DevUser[] }>(null, 'GET', '/v1/dev/tokens').then((r) => setUsers(r.items), () => setUsers([]));
  }, []);
  return html`<main id="main" class="sign-in">
    <h1>Keiro console</h1>
    ${problem ? html`<p class="error" role="alert">${problem}</p>` : null}
    ${users.length > 0
      ? html`<h2>Sign in as a demo user</h2><div class="users">${users.map(
          (u) => html`<button name=${`user-${u.userId}`} onClick=${() => onToken(u.token)}>${u.name} <small>${u.userId}</small></button>`,
        )}</div>`
      : null}
    <h2>Or paste a bearer token</h2>
    <form onSubmit=${(e: Event) => { e.preventDefault(); if (pasted.trim()) onToken(pasted.trim()); }}>
      <label for="token">Bearer token</label>
      <textarea id="token" name="token" rows="3" value=${pasted} onInput=${(e: Event) => setPasted((e.target as HTMLTextAreaElement).value)}></textarea>
      <div class="buttons start"><button type="submit" class="primary">Use this token</button></div>
    </form>
  </main>`;
};

/** Every page the console has, by address. */
const PAGES: Record<string, (props: { query: URLSearchParams }) => unknown> = {
  '': Home,
  records: RecordsPage,
  record: RecordPage,
  tasks: TasksPage,
  inbox: InboxPage,
  journeys: JourneysPage,
  journey: JourneyPage,
  cadences: CadencesPage,
  cadence: CadencePage,
  definitions: DefinitionsPage,
  definition: DefinitionPage,
  wizards: WizardsPage,
  wizard: WizardPage,
  kiosks: KiosksPage,
  kiosk: KioskPage,
  teams: TeamsPage,
  'team-requests': TeamRequestsPage,
  requests: MyRequestsPage,
  replay: ReplayPage,
};

const NotFoundPage = () => html`<section><h1>No such page</h1><p><a href=${href('')}>Back to the home page</a></p></section>`;

/** The signed-in console: a header on every page (home, who is signed in, sign out) and the page the address names. */
const Shell = ({ session, onSignOut }: { session: Session; onSignOut: () => void }) => {
  const route = useRoute();
  const Page = PAGES[route.page] ?? NotFoundPage;
  return html`<${SessionContext.Provider} value=${session}>
    <header class="top">
      <a class="brand" href=${href('')}>Keiro console</a>
      <span class="me" data-user=${session.me.id}>${displayName(session.me)}</span>
      <button name="sign-out" class="link" onClick=${onSignOut}>Sign out</button>
    </header>
    <main id="main" data-page=${route.page || 'home'}><${Page} query=${route.query} /></main>
  </${SessionContext.Provider}>`;
};

const App = () => {
  const [token, setToken] = useState<string | null>(sessionStorage.getItem(TOKEN_KEY));
  const [session, setSession] = useState<Session | null>(null);
  const [problem, setProblem] = useState('');
  const use = (t: string | null) => {
    if (t) sessionStorage.setItem(TOKEN_KEY, t);
    else sessionStorage.removeItem(TOKEN_KEY);
    setSession(null);
    setToken(t);
  };
  useEffect(() => {
    if (!token) return;
    loadSession(token).then(setSession, (e: Error) => {
      // A token that no longer works (expired, another deployment's) sends the user back to sign in.
      setProblem(`Signing in failed: ${e.message}`);
      use(null);
    });
  }, [token]);
  if (!token) return html`<${SignIn} onToken=${(t: string) => { setProblem(''); use(t); }} problem=${problem} />`;
  if (!session) return html`<main id="main"><${Pending} error="" what="Signing in…" /></main>`;
  return html`<${Shell} session=${session} onSignOut=${() => use(null)} />`;
};

render(html`<${App} />`, document.getElementById('app')!);
