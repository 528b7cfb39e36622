import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cadencePortsFromEnv } from '../../../shared/adapters/cadence-ports.js';
import { unitDeps } from '../../support/unit-deps.js';

const db = mockClient(DynamoDBDocumentClient);
const env = { PUBLIC_API_URL: 'https://api.crm.example.com', INBOUND_EMAIL_DOMAIN: 'reply.crm.example.com' };
const stored = Buffer.alloc(32, 9).toString('base64');

// A cold start of a function with cadence ports makes no DynamoDB call: only sends and unsubscribes
// need the signing key, and they read it on first use (tests/README.md, "Cold starts").
describe('cadencePortsFromEnv: the unsubscribe key is read on first use, once', () => {
  beforeEach(() => db.reset());
  afterAll(() => db.restore());

  it('reads nothing at cold start; the first use reads the key, later uses and concurrent ones share that read', async () => {
    db.on(GetCommand).resolves({ Item: { value: stored } });
    const ports = await cadencePortsFromEnv(unitDeps(), env);
    expect(db.calls()).toHaveLength(0);
    const [a, b] = await Promise.all([ports.unsubscribeKey(), ports.unsubscribeKey()]);
    expect(Buffer.from(a).toString('base64')).toBe(stored);
    expect(b).toBe(a);
    expect(await ports.unsubscribeKey()).toBe(a);
    expect(db.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('a failed read is not remembered: the next use reads again', async () => {
    db.on(GetCommand).rejectsOnce(new Error('throttled')).resolves({ Item: { value: stored } });
    const ports = await cadencePortsFromEnv(unitDeps(), env);
    await expect(ports.unsubscribeKey()).rejects.toThrow('throttled');
    expect(Buffer.from(await ports.unsubscribeKey()).toString('base64')).toBe(stored);
    expect(db.commandCalls(GetCommand)).toHaveLength(2);
  });

  it('a missing key is made once (conditional put) and read back', async () => {
    db.on(GetCommand).resolvesOnce({}).resolves({ Item: { value: stored } });
    db.on(PutCommand).resolves({});
    const ports = await cadencePortsFromEnv(unitDeps(), env);
    expect(Buffer.from(await ports.unsubscribeKey()).toString('base64')).toBe(stored);
    expect(db.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('a bad cadence setting still fails the cold start', async () => {
    await expect(async () => cadencePortsFromEnv(unitDeps(), { ...env, PUBLIC_API_URL: 'not a url' })).rejects.toThrow(/PUBLIC_API_URL/);
    expect(db.calls()).toHaveLength(0);
  });
});
