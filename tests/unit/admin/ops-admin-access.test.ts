import { describe, expect, it } from 'vitest';
import { decideOpsAdmin, type Principal } from '../../../shared/domain/access/index.js';

const principal = (over: Partial<Principal>): Principal => ({ userId: 'u', isOrgAdmin: false, orgRole: 'member', teamRoles: {}, requesterOf: [], ...over });

describe('dead-letter administration access', () => {
  it('allows org admins (by token group or directory role)', () => {
    expect(decideOpsAdmin(principal({ isOrgAdmin: true })).allowed).toBe(true);
    expect(decideOpsAdmin(principal({ orgRole: 'admin' })).allowed).toBe(true);
  });

  it('refuses members, team admins and guests with 403', () => {
    for (const p of [principal({}), principal({ teamRoles: { t1: 'admin' } }), principal({ orgRole: 'guest' })]) {
      expect(decideOpsAdmin(p)).toMatchObject({ allowed: false, status: 403 });
    }
  });
});
