import { describe, expect, it } from 'vitest';
import { decideDirectoryRead, directoryListScope, type Principal } from '../../../shared/domain/access/index.js';

const principal = (userId: string, orgRole: Principal['orgRole'], isOrgAdmin = orgRole === 'admin'): Principal => ({
  userId,
  orgRole,
  isOrgAdmin,
  teamRoles: {},
  requesterOf: [],
});

describe('the users directory', () => {
  it.each<[string, Principal, 'everyone' | 'self']>([
    ['an org admin lists everyone', principal('u-admin', 'admin'), 'everyone'],
    ['an admin by token group lists everyone', principal('u-boot', 'guest', true), 'everyone'],
    ['a member lists everyone', principal('u-agent', 'member'), 'everyone'],
    ['a guest lists only themselves', principal('u-requester', 'guest'), 'self'],
  ])('%s', (_, p, scope) => {
    expect(directoryListScope(p)).toBe(scope);
  });

  it('a guest reads their own profile, and no one else’s (403)', () => {
    const guest = principal('u-requester', 'guest');
    expect(decideDirectoryRead(guest, 'u-requester')).toEqual({ allowed: true });
    expect(decideDirectoryRead(guest, 'u-agent')).toMatchObject({ allowed: false, status: 403 });
  });
});
