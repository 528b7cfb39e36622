import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

/** Local stand-in for Cognito: an ES256 key pair generated on first start under .keiro/. */
export const LOCAL_ISSUER = 'https://keiro.local/auth';
export const LOCAL_AUDIENCE = 'keiro-local';
const ALG = 'ES256';

/** jose returns a WebCrypto key or a node KeyObject depending on runtime. */
type SigningKey = KeyObject | Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface LocalKeys {
  privateKey: SigningKey;
  publicKey: SigningKey;
}

const KEY_FILE = 'signing-key.json';

export const loadOrCreateKeys = async (dir: string): Promise<LocalKeys> => {
  const file = join(dir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const pair = await generateKeyPair(ALG, { extractable: true });
    const stored = { privateJwk: await exportJWK(pair.privateKey), publicJwk: await exportJWK(pair.publicKey) };
    // wx: two processes starting at once must not overwrite each other's key.
    try {
      writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const { privateJwk, publicJwk } = JSON.parse(readFileSync(file, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
  return {
    privateKey: (await importJWK(privateJwk, ALG)) as SigningKey,
    publicKey: (await importJWK(publicJwk, ALG)) as SigningKey,
  };
};

export interface TokenClaims {
  sub: string;
  email?: string;
  groups?: string[];
}

/** A token shaped like a Cognito ID token: sub, email, cognito:groups. */
export const signToken = async (keys: LocalKeys, claims: TokenClaims, ttlSeconds = 12 * 60 * 60): Promise<string> =>
  new SignJWT({ email: claims.email, 'cognito:groups': claims.groups ?? [], token_use: 'id' })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(keys.privateKey);

/**
 * What the API Gateway JWT authorizer does: signature, issuer, audience, expiry. A token without `exp`
 * (it would never expire) or without `sub` (no caller) is refused too. Throws on any failure.
 */
export const verifyToken = async (keys: LocalKeys, token: string): Promise<JWTPayload> => {
  const { payload } = await jwtVerify(token, keys.publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [ALG], requiredClaims: ['exp', 'sub'] });
  return payload;
};
