import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRecord, updateRecord } from '../../../shared/db/records-repo.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { filePositionStore } from '../../../infra/local/events/positions.js';
import { recordingConsumer } from '../../fixtures/events/consumers.js';
import { fixtureSubscriptions, RECORDER } from '../../fixtures/events/subscriptions.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { startLocalEvents, waitFor } from '../../support/events.js';

const leads = standardModule('Leads') as ModuleMetadata;
const ctx = { actor: 'u-agent', via: 'api' as const, correlationId: 'corr-resume' };
const statusOf = (e: BusEvent) => (e.detail.data as { record: { fields: { leadStatus?: string } } }).record.fields.leadStatus;
const updates = (seen: BusEvent[]) => seen.filter((e) => e['detail-type'] === 'record.updated').map(statusOf);

describe('stream poller restart', () => {
  it('resumes from its saved position: no re-delivery of acknowledged events, no loss of events written while stopped', async () => {
    const deps = await createTestDeps();
    const file = join(mkdtempSync(join(tmpdir(), 'keiro-positions-')), 'stream-positions.json');
    const subscriptions = fixtureSubscriptions.slice(0, 1);

    const first = startLocalEvents(deps, { subscriptions, consumers: [recordingConsumer(RECORDER)], positions: filePositionStore(file, deps.tableName) });
    await createRecord(deps, leads, { id: 'L-RES-1', ownerId: 'u-agent', fields: { lastName: 'Ito', leadStatus: 'New' } }, ctx);
    await updateRecord(deps, leads, 'L-RES-1', { fields: { leadStatus: 'Contacted' } }, ctx);
    await waitFor(() => updates(first.seen).includes('Contacted'), 'the first update on the bus');
    await first.stop();
    expect(JSON.parse(readFileSync(file, 'utf8')).tables[deps.tableName].shards).not.toEqual({});

    // Written while nothing polls the stream.
    await updateRecord(deps, leads, 'L-RES-1', { fields: { leadStatus: 'Qualified' } }, ctx);
    await updateRecord(deps, leads, 'L-RES-1', { fields: { leadStatus: 'Unqualified' } }, ctx);

    const second = startLocalEvents(deps, { subscriptions, consumers: [recordingConsumer(RECORDER)], positions: filePositionStore(file, deps.tableName) });
    try {
      await waitFor(() => updates(second.seen).includes('Unqualified'), 'the updates written while stopped');
      await second.poller.pollOnce();
      expect(updates(second.seen)).toEqual(['Qualified', 'Unqualified']);
      expect(second.seen.some((e) => e['detail-type'] === 'record.created')).toBe(false);
    } finally {
      await second.stop();
    }
  });
});
