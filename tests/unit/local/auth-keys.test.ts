import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateKeys, signToken, verifyToken, type LocalKeys } from '../../../infra/local/auth-keys.js';

/** The local stand-in for the API Gateway JWT authorizer refuses what that authorizer would. */
describe('local JWT verifier', () => {
  let keys: LocalKeys;
  beforeAll(async () => {
    keys = await loadOrCreateKeys(mkdtempSync(join(tmpdir(), 'keiro-keys-')));
  });
  const unsigned = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt();

  it('accepts a token as npm run token signs it', async () => {
    const payload = await verifyToken(keys, await signToken(keys, { sub: 'u-agent' }));
    expect(payload.sub).toBe('u-agent');
  });

  it('refuses a correctly signed token that has no exp (it would never expire)', async () => {
    const token = await unsigned({}).setSubject('u-agent').sign(keys.privateKey);
    await expect(verifyToken(keys, token)).rejects.toThrow(/exp/);
  });

  it('refuses a token that has no sub', async () => {
    const token = await unsigned({}).setExpirationTime('1h').sign(keys.privateKey);
    await expect(verifyToken(keys, token)).rejects.toThrow(/sub/);
  });

  it('refuses an expired token', async () => {
    const token = await unsigned({}).setSubject('u-agent').setExpirationTime(Math.floor(Date.now() / 1000) - 3600).sign(keys.privateKey);
    await expect(verifyToken(keys, token)).rejects.toThrow();
  });
});
