/**
 * `npm run --silent token -- <userId> [--admin]` prints a bearer token for that user and nothing else.
 * Seeded org admins get the `admin` group automatically.
 */
import { loadOrCreateKeys, signToken } from './auth-keys.js';
import { keiroHome } from './paths.js';
import { groupsFor } from './seed-users.js';

const args = process.argv.slice(2);
const userId = args.find((a) => !a.startsWith('--'));
if (!userId) {
  process.stderr.write('usage: npm run --silent token -- <userId> [--admin]\n');
  process.exit(2);
}
const groups = args.includes('--admin') ? ['admin'] : groupsFor(userId);
const keys = await loadOrCreateKeys(keiroHome());
process.stdout.write(`${await signToken(keys, { sub: userId, email: `${userId}@keiro.example`, groups })}\n`);
