import type { LocalKeys } from './auth-keys.js';
import { signToken } from './auth-keys.js';
import { SEED_USERS, groupsFor } from './seed-users.js';

/** A route only the local API serves (never the AWS deployment, where it is a 404): what local tools need. */
export type DevRoute = () => Promise<{ status: number; body: unknown }>;

/**
 * The local API's dev-only routes. `GET /v1/dev/tokens`: the demo users with tokens, as `npm run token`
 * prints them, so the console can sign in as any of them. The local API listens on the loopback address only.
 */
export const localDevRoutes = (keys: LocalKeys): Record<string, DevRoute> => ({
  'GET /v1/dev/tokens': async () => ({
    status: 200,
    body: {
      items: await Promise.all(
        SEED_USERS.map(async (u) => ({ userId: u.id, name: u.name, orgRole: u.orgRole, token: await signToken(keys, { sub: u.id, email: u.email, groups: groupsFor(u.id) }) })),
      ),
    },
  }),
});
