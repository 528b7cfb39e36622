import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { idempotencyScope } from '../../../shared/db/idempotency-scope.js';
import { idempotencyKeys } from '../../../shared/db/keys.js';
import { createRecord } from '../../../shared/db/records-repo.js';
import { listRecords } from '../../../shared/db/records-queries.js';
import { IDEMPOTENCY_LOCK_SECONDS, claimIdempotencyKey, releaseIdempotencyKey } from '../../../shared/http/idempotency.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { Conflict } from '../../../shared/domain/errors.js';

let deps: AppDeps;
let now = new Date('2026-11-22T00:00:00.000Z');
const later = () => new Date(now.getTime() + (IDEMPOTENCY_LOCK_SECONDS + 1) * 1000);
const leads = standardModule('Leads') as ModuleMetadata;
const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'c' };

beforeAll(async () => {
  deps = await createTestDeps({ clock: () => now });
});

/** Runs a create as the area handler would while holding the key, then "crashes" before storing the response. */
const createThenCrash = async (key: string, lastName: string) => {
  const claim = await claimIdempotencyKey(deps, 'u-agent', key, `hash-${key}`);
  if (claim.kind !== 'claimed') throw new Error('expected a fresh claim');
  await idempotencyScope.run({ tableName: deps.tableName, key: idempotencyKeys.key('u-agent', key), lockedUntil: claim.lockedUntil, marked: false }, () =>
    createRecord(deps, leads, { id: deps.newId(), ownerId: 'u-agent', fields: { lastName } }, ctx),
  );
};

const countLeads = async (lastName: string) => (await listRecords(deps, 'Leads', { limit: 200, filters: { lastName }, order: 'desc' })).items.length;

describe('Idempotency-Key across a crash', () => {
  it('a retry after a crash between commit and response does not create the record twice', async () => {
    now = new Date('2026-11-22T00:00:00.000Z');
    await createThenCrash('crash-after-commit', 'Crashy');
    now = later();
    await expect(claimIdempotencyKey(deps, 'u-agent', 'crash-after-commit', 'hash-crash-after-commit')).rejects.toThrow(Conflict);
    expect(await countLeads('Crashy')).toBe(1);
  });

  it('a retry after a crash before any write takes the key over and runs', async () => {
    now = new Date('2026-11-22T01:00:00.000Z');
    const first = await claimIdempotencyKey(deps, 'u-agent', 'crash-before-write', 'h');
    expect(first.kind).toBe('claimed');
    now = later();
    expect((await claimIdempotencyKey(deps, 'u-agent', 'crash-before-write', 'h')).kind).toBe('claimed');
  });

  it('a request whose lock was taken over cannot commit: its transaction is refused whole', async () => {
    now = new Date('2026-11-22T02:00:00.000Z');
    const slow = await claimIdempotencyKey(deps, 'u-agent', 'taken-over', 'h');
    if (slow.kind !== 'claimed') throw new Error('expected a claim');
    now = later();
    await claimIdempotencyKey(deps, 'u-agent', 'taken-over', 'h');
    await expect(
      idempotencyScope.run({ tableName: deps.tableName, key: idempotencyKeys.key('u-agent', 'taken-over'), lockedUntil: slow.lockedUntil, marked: false }, () =>
        createRecord(deps, leads, { id: deps.newId(), ownerId: 'u-agent', fields: { lastName: 'Slowpoke' } }, ctx),
      ),
    ).rejects.toThrow(Conflict);
    expect(await countLeads('Slowpoke')).toBe(0);
  });

  it('a failure after commit keeps the key, so the retry is told instead of applying twice', async () => {
    now = new Date('2026-11-22T03:00:00.000Z');
    await createThenCrash('fail-after-commit', 'Failing');
    await releaseIdempotencyKey(deps, 'u-agent', 'fail-after-commit');
    now = later();
    await expect(claimIdempotencyKey(deps, 'u-agent', 'fail-after-commit', 'hash-fail-after-commit')).rejects.toThrow(/applied/);
    expect(await countLeads('Failing')).toBe(1);
  });
});
