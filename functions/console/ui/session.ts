/// <reference lib="dom" />
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { call } from './api.js';
import type { ModuleMeta } from './format.js';

/** Who is signed in (`GET /v1/me`: the directory entry is under `user`). */
export interface Me {
  id: string;
  user?: { name?: string; email?: string };
  orgRole: string;
  isOrgAdmin: boolean;
  teams: Array<{ teamId: string; role: string }>;
  requesterOf: string[];
}

/** What every page needs: the token, the signed-in user, module metadata (labels) and user names. */
export interface Session {
  token: string;
  me: Me;
  modules: Record<string, ModuleMeta>;
  users: Record<string, string>;
}

export const isGuest = (me: Me) => me.orgRole === 'guest';

/** Who may try drafts on the recorded past: org admins, and team admins (for their team modules; the server decides which). */
export const mayTryDrafts = (me: Me) => me.isOrgAdmin || me.teams.some((t) => t.role === 'admin');

export const SessionContext = createContext<Session | null>(null);

export const useSession = (): Session => {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
};

interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Reads what the pages share once per sign-in. Modules and users a guest may not list are simply unknown (ids are shown). */
export const loadSession = async (token: string): Promise<Session> => {
  const quiet = <T>(p: Promise<Page<T>>) => p.catch(() => ({ items: [] as T[] }));
  const me = await call<Me>(token, 'GET', '/v1/me');
  // A guest reaches only team spaces and requests: nothing else is asked for on their behalf.
  const guest = isGuest(me);
  const [modules, users] = guest
    ? [{ items: [] }, { items: [] }]
    : await Promise.all([quiet(call<Page<ModuleMeta>>(token, 'GET', '/v1/modules?limit=200')), quiet(call<Page<{ id: string; name?: string }>>(token, 'GET', '/v1/users?limit=200'))]);
  return {
    token,
    me,
    modules: Object.fromEntries(modules.items.map((m) => [m.name, m])),
    users: Object.fromEntries(users.items.filter((u) => u.name).map((u) => [u.id, u.name!])),
  };
};

/** The name to show for the signed-in user. */
export const displayName = (me: Me): string => me.user?.name ?? me.id;

/**
 * Loads data for a page: `[data, error, reload]`. The error is the problem's message, shown in the page
 * (never a raw status or JSON).
 */
export const useLoad = <T>(load: () => Promise<T>, deps: unknown[]): [T | null, string, () => void] => {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setError('');
    load().then(
      (d) => live && setData(d),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  return [data, error, () => setRound((r) => r + 1)];
};
