import type { User } from '../../shared/domain/users/user.js';

/** The demo organisation's users (infra/local/README.md, "The demo's users"); ids are fixed. */
export const SEED_USERS: readonly User[] = [
  { id: 'u-admin', email: 'u-admin@keiro.example', name: 'Aiko Admin', orgRole: 'admin' },
  { id: 'u-manager', email: 'u-manager@keiro.example', name: 'Masaru Manager', orgRole: 'member' },
  { id: 'u-agent', email: 'u-agent@keiro.example', name: 'Akari Agent', orgRole: 'member', managerId: 'u-manager' },
  { id: 'u-ops', email: 'u-ops@keiro.example', name: 'Osamu Ops', orgRole: 'member' },
  { id: 'u-requester', email: 'u-requester@keiro.example', name: 'Rika Requester', orgRole: 'guest' },
];

/** The token groups a seeded user gets (org admins carry `admin`, as Cognito's group would). */
export const groupsFor = (userId: string): string[] => (SEED_USERS.find((u) => u.id === userId)?.orgRole === 'admin' ? ['admin'] : []);
