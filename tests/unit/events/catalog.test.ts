import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { eventCatalog, findEvent, recordUpdated, requireEvent } from '../../../shared/events/catalog/index.js';
import { EVENT_SOURCE } from '../../../shared/events/envelope.js';
import { createRecord, deleteRecord, updateRecord, type RecordItem } from '../../../shared/db/records-repo.js';
import { createModule, updateModule } from '../../../shared/db/modules-repo.js';
import { insertUser, replaceUser } from '../../../shared/db/users-writes.js';
import { readHistoryItem, type HistoryItem, type StoredHistoryItem } from '../../../shared/db/history.js';
import type { UserItem } from '../../../shared/db/users-repo.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { unitDeps } from '../../support/unit-deps.js';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

const ctx = { actor: 'u-admin', via: 'api' as const, correlationId: 'corr-1' };
const leads = standardModule('Leads') as ModuleMetadata;

/** Runs a real repo write against the mock and returns the history entry (the outbox item) it wrote, read as the outbox reads it. */
const historyOf = async (write: () => Promise<unknown>): Promise<HistoryItem> => {
  ddb.on(TransactWriteCommand).resolves({});
  // A module without processes: the records core reads its (absent) process state beside the record.
  ddb.on(GetCommand, { Key: { PK: 'MODPROC#Leads', SK: 'STATE' } }).resolves({});
  await write();
  const items = ddb.commandCalls(TransactWriteCommand).flatMap((c) => c.args[0].input.TransactItems ?? []);
  const history = items.map((i) => i.Put?.Item).find((item) => item?.entity === 'History');
  if (!history) throw new Error('the write put no history entry');
  return readHistoryItem(history as StoredHistoryItem);
};

const lead = (version: number): RecordItem => ({
  PK: 'REC#Leads#L1', SK: 'REC', GSI1PK: 'RECS#Leads', GSI1SK: 'x', entity: 'Record', id: 'L1', module: 'Leads', version, ownerId: 'u-agent',
  fields: { lastName: 'Tanaka', leadStatus: 'New' }, createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z', createdBy: 'u-agent', updatedBy: 'u-agent',
});

const user: UserItem = { id: 'u-x', email: 'x@keiro.example', name: 'X', orgRole: 'member', entity: 'User', version: 1, createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z' };

const writes: Record<string, () => Promise<HistoryItem>> = {
  'record.created': () => historyOf(() => createRecord(unitDeps(), leads, { id: 'L1', ownerId: 'u-agent', fields: { lastName: 'Tanaka', email: 'yui@example.jp' } }, ctx)),
  'record.updated': () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { PK: 'REC#Leads#L1', SK: 'REC' } }).resolves({ Item: lead(3) });
    return historyOf(() => updateRecord(unitDeps(), leads, 'L1', { fields: { leadStatus: 'Contacted' }, ownerId: 'u-manager' }, ctx));
  },
  'record.deleted': () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { PK: 'REC#Leads#L1', SK: 'REC' } }).resolves({ Item: lead(4) });
    return historyOf(() => deleteRecord(unitDeps(), leads, 'L1', ctx));
  },
  'module.created': () => historyOf(() => createModule(unitDeps(), { name: 'Visas', label: 'Visas', fields: [{ name: 'country', label: 'Country', type: 'text', required: true }] }, 'custom', ctx)),
  'module.updated': () => historyOf(() => updateModule(unitDeps(), leads, { name: 'Leads', label: 'Leads', fields: [...leads.fields, { name: 'budget', label: 'Budget', type: 'currency', required: false }] }, ctx)),
  'user.created': () => historyOf(() => insertUser(unitDeps(), { id: 'u-x', email: 'x@keiro.example', name: 'X', orgRole: 'member', managerId: 'u-manager' }, ctx)),
  'user.updated': () => historyOf(() => replaceUser(unitDeps(), user, { id: 'u-x', email: 'x@keiro.example', name: 'X', orgRole: 'admin' }, ctx)),
};

describe('event catalog', () => {
  it('has one definition per name, all from source keiro, including every event the records core writes', () => {
    const names = eventCatalog.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(eventCatalog.every((e) => e.source === EVENT_SOURCE && e.version >= 1)).toBe(true);
    expect(names).toEqual(expect.arrayContaining(Object.keys(writes)));
  });

  it.each(Object.keys(writes))('the data the repos write for %s validates against its schema', async (name) => {
    const history = await writes[name]!();
    expect(history.eventName).toBe(name);
    const definition = requireEvent(name);
    expect(history.eventVersion).toBe(definition.version);
    const parsed = definition.schema.safeParse(history.data);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('record.updated carries each changed field with its old and new value', async () => {
    const history = await writes['record.updated']!();
    const data = recordUpdated.schema.parse(history.data);
    expect(data.changes).toEqual([
      { field: 'leadStatus', old: 'New', new: 'Contacted' },
      { field: 'ownerId', old: 'u-agent', new: 'u-manager' },
    ]);
    expect(data.record.version).toBe(4);
  });

  it('refuses data that breaks a schema: a record.updated that changed nothing', () => {
    const data = { module: 'Leads', recordId: 'L1', version: 2, ownerId: 'u', changes: [], record: { id: 'L1', module: 'Leads', version: 2, ownerId: 'u', fields: {}, createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z' } };
    expect(recordUpdated.schema.safeParse(data).success).toBe(false);
  });

  it('looks events up by name', () => {
    expect(findEvent('record.updated')).toBe(recordUpdated);
    expect(findEvent('no.such')).toBeUndefined();
    expect(() => requireEvent('no.such')).toThrow(/No event named no.such/);
  });
});
