/// <reference lib="dom" />
import { html } from 'htm/preact';
import { call } from '../api.js';
import { href } from '../router.js';
import { displayName, isGuest, mayTryDrafts, useLoad, useSession } from '../session.js';

interface Tile {
  page: string;
  title: string;
  text: string;
  count?: number | undefined;
  /** Who sees it: members of the organisation, or everyone (guests reach only their team spaces and requests). */
  members?: boolean;
  /** Only for those who may try drafts (org admins, team admins). */
  admins?: boolean;
  external?: string;
}

/** The home page: every page of the console, with what waits for the user counted. */
export const Home = () => {
  const { token, me } = useSession();
  const guest = isGuest(me);
  const [counts] = useLoad(async () => {
    if (guest) return undefined;
    const count = (path: string) => call<{ items: unknown[] }>(token, 'GET', path).then((r) => r.items.length, () => undefined);
    const [tasks, approvals, reviews, drafts] = await Promise.all([
      count('/v1/tasks?assignee=me&limit=200'),
      count('/v1/approvals?status=pending&assignee=me&limit=200'),
      count('/v1/reviews?status=pending&assignee=me&limit=200'),
      count('/v1/wizard-sessions?status=draft&limit=200'),
    ]);
    return { tasks, waiting: approvals === undefined && reviews === undefined ? undefined : (approvals ?? 0) + (reviews ?? 0), drafts };
  }, []);
  const tiles: Tile[] = [
    { page: 'tasks', title: 'My tasks', text: 'What you have to do, due first.', count: counts?.tasks, members: true },
    { page: 'inbox', title: 'Waiting for me', text: 'Approvals and reviews to decide: approve, reject or delegate.', count: counts?.waiting, members: true },
    { page: 'records', title: 'Records', text: 'Leads, contacts, deals and more, as a list or a kanban.', members: true },
    { page: 'wizards', title: 'Wizards', text: 'Create records step by step; resume your drafts.', count: counts?.drafts, members: true },
    { page: 'kiosks', title: 'Kiosks', text: 'Guided updates for customers’ requests.', members: true },
    { page: 'journeys', title: 'Journeys', text: 'Where customers are, with each journey’s report and paths.', members: true },
    { page: 'cadences', title: 'Cadences', text: 'Follow-up sequences and how each step performs.', members: true },
    { page: 'definitions', title: 'Processes', text: 'Blueprints, rules, approvals, cadences and journeys: try a draft on the last 30 days.', admins: true },
    { page: 'replay', title: 'Replay', text: 'Watch a customer’s story, step by step.', members: true },
    { page: 'teams', title: 'Team spaces', text: 'Your teams, their modules and request queues.' },
    { page: 'requests', title: 'My Requests', text: 'What you asked teams for, and where it stands.' },
    { page: '', title: 'API reference', text: 'Every route of the HTTP API.', external: 'v1/docs' },
  ];
  return html`<section class="home">
    <h1>Welcome, ${displayName(me)}</h1>
    <ul class="tiles">${tiles
      .filter((t) => !(guest && t.members) && !(t.admins && !mayTryDrafts(me)))
      .map(
        (t) => html`<li><a class="tile" name=${`go-${t.title}`} href=${t.external ?? href(t.page)}>
          <span class="tile-title">${t.title}${t.count ? html` <span class="badge" aria-label=${`${t.count} waiting`}>${t.count}</span>` : null}</span>
          <span class="tile-text">${t.text}</span></a></li>`,
      )}</ul>
  </section>`;
};
