import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../shared/adapters/deps.js';
import type { FieldValues } from '../../shared/domain/records/field-values.js';
import { standardModule } from '../../shared/domain/records/standard-modules.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { seedKeys } from '../../shared/db/keys.js';
import { createRecord, getRecord } from '../../shared/db/records-repo.js';
import { getUser } from '../../shared/db/users-repo.js';
import { insertUser } from '../../shared/db/users-writes.js';
import { SEED_USERS } from './seed-users.js';
import { seedTeams } from './seed-teams.js';
import { seedProcesses } from './seed-processes.js';
import { seedCadences } from './seed-cadences.js';
import { seedJourneys } from './seed-journeys.js';
import { seedWorkflowRules } from './seed-workflow-rules.js';
import { seedKiosks } from './seed-kiosks.js';
import { seedWizards } from './seed-wizards.js';

const seedContext: ChangeContext = { actor: 'system', via: 'system', reason: 'Demo seed', correlationId: 'seed' };

interface SeedRecord {
  module: string;
  id: string;
  ownerId: string;
  fields: FieldValues;
}

/** The travel agency of the scenario: a corporate customer, its contact, leads, and a travel application. */
export const SEED_RECORDS: readonly SeedRecord[] = [
  { module: 'Accounts', id: '01JDEMOACC0000000000000001', ownerId: 'u-agent', fields: { name: 'Sakura Trading Co.', industry: 'Retail', phone: '03-1234-5678', website: 'https://sakura.example' } },
  { module: 'Contacts', id: '01JDEMOCON0000000000000001', ownerId: 'u-agent', fields: { firstName: 'Haruto', lastName: 'Sato', email: 'haruto.sato@sakura.example', phone: '090-1111-2222', accountId: '01JDEMOACC0000000000000001', timeZone: 'Asia/Tokyo' } },
  { module: 'Leads', id: '01JDEMOLEA0000000000000001', ownerId: 'u-agent', fields: { firstName: 'Yui', lastName: 'Tanaka', email: 'yui.tanaka@example.jp', phone: '090-1234-5678', leadSource: 'Web', leadStatus: 'New', timeZone: 'Asia/Tokyo' } },
  { module: 'Leads', id: '01JDEMOLEA0000000000000002', ownerId: 'u-manager', fields: { firstName: 'Kenji', lastName: 'Watanabe', email: 'kenji.w@example.jp', company: 'Watanabe Logistics', industry: 'Manufacturing', leadSource: 'Referral', leadStatus: 'Contacted' } },
  { module: 'TravelApplications', id: '01JDEMOTRA0000000000000001', ownerId: 'u-agent', fields: { name: 'Sato family — Okinawa', contactId: '01JDEMOCON0000000000000001', destination: 'Okinawa', departureDate: '2027-03-20', returnDate: '2027-03-24', travellers: 4, stage: 'Requirements Check' } },
];

/** A named, idempotent part of the demo. Its marker is written when it completes. */
export interface SeedStep {
  name: string;
  run: (deps: AppDeps, ctx: ChangeContext) => Promise<void>;
}

const seedOrganisation: SeedStep['run'] = async (deps, ctx) => {
  for (const user of SEED_USERS) {
    if (!(await getUser(deps, user.id))) await insertUser(deps, user, ctx);
  }
  for (const record of SEED_RECORDS) {
    if (await getRecord(deps, record.module, record.id)) continue;
    const module = standardModule(record.module);
    if (!module) throw new Error(`Seed names an unknown module ${record.module}`);
    await createRecord(deps, module, { id: record.id, ownerId: record.ownerId, fields: record.fields }, ctx);
  }
};

/** In order: later steps may rely on earlier ones (the team space needs the users). */
export const SEED_STEPS: readonly SeedStep[] = [
  { name: 'demo-v1', run: seedOrganisation },
  { name: 'teams-v1', run: seedTeams },
  { name: 'processes-v1', run: seedProcesses },
  { name: 'cadences-v1', run: seedCadences },
  { name: 'journeys-v1', run: seedJourneys },
  { name: 'workflow-rules-v1', run: seedWorkflowRules },
  { name: 'wizards-v1', run: seedWizards },
  { name: 'kiosks-v1', run: seedKiosks },
];

/**
 * Seeds the demo. Each step is idempotent (fixed ids, skip what exists) and has its own marker, written
 * when it completes: an interrupted step completes on the next start, a finished one never repeats
 * (so what a user deleted from the demo stays deleted), and a step added later still runs on old data.
 */
export const seedDemo = async (deps: AppDeps): Promise<'seeded' | 'already-seeded'> => {
  let ran = false;
  for (const step of SEED_STEPS) {
    const marker = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: seedKeys.key(step.name), ConsistentRead: true }));
    if (marker.Item) continue;
    await step.run(deps, { ...seedContext, correlationId: `seed-${step.name}` });
    await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: { ...seedKeys.key(step.name), entity: 'Seed', at: deps.clock().toISOString() } }));
    ran = true;
  }
  return ran ? 'seeded' : 'already-seeded';
};
