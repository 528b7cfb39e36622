import { describe, expect, it } from 'vitest';
import { authFromClaims } from '../../../shared/http/auth.js';
import { verifiedClaims } from '../../bench/in-process.js';

describe('in-process bench events', () => {
  it("carry the claims as API Gateway's JWT authorizer passes them, which the handlers read as the caller", () => {
    const claims = verifiedClaims('u-manager', new Date('2026-12-06T12:00:00Z'));
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
    expect(claims).toMatchObject({ sub: 'u-manager', iat: '1796558400', exp: '1796562000', 'cognito:groups': '[]' });
    expect(authFromClaims(claims)).toEqual({ userId: 'u-manager', email: 'u-manager@keiro.example', groups: [], isOrgAdmin: false });
  });
});
