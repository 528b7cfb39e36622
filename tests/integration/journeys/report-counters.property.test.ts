import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { handleJourneyEvent } from '../../../functions/events/journey-router.js';
import { moveInstanceByHand } from '../../../functions/journeys/run-instances.js';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { JourneyDefinitionSchema } from '../../../shared/domain/journey/definition.js';
import { stateOutcomes } from '../../../shared/domain/journey/drop-off.js';
import { MEDIAN_RELATIVE_ERROR, buildPaths, buildReport, pathKey, recompute, sumDays } from '../../../shared/domain/journey/report.js';
import { saveDefinition } from '../../../shared/db/definitions-repo.js';
import { getInstances, instancesOfCustomers, putActiveJourney, readPathCounters, readReportCounters, readRouteCounts } from '../../../shared/db/journeys-repo.js';
import type { BusEvent } from '../../../shared/events/envelope.js';
import { createTestDeps } from '../../support/local-cloud.js';

const STATUSES = ['New', 'Contacted', 'Qualified', 'Unqualified'] as const;
const definition = JourneyDefinitionSchema.parse({
  name: 'Property journey',
  modules: ['Leads'],
  initial: 'lead',
  goal: 'customer',
  states: [
    { id: 'lead', name: 'Lead' },
    { id: 'contacted', name: 'Contacted' },
    { id: 'qualified', name: 'Qualified' },
    { id: 'lost', name: 'Lost' },
    { id: 'customer', name: 'Customer' },
  ],
  transitions: [
    { id: 'contacted', from: ['lead', 'lost'], to: 'contacted', trigger: { type: 'fieldChanged', module: 'Leads', field: 'leadStatus', to: 'Contacted' } },
    { id: 'qualified', from: ['lead', 'contacted'], to: 'qualified', trigger: { type: 'fieldChanged', module: 'Leads', field: 'leadStatus', to: 'Qualified' } },
    { id: 'lost', from: '*', to: 'lost', trigger: { type: 'fieldChanged', module: 'Leads', field: 'leadStatus', to: 'Unqualified' } },
    { id: 'back', from: ['contacted', 'qualified', 'lost'], to: 'lead', trigger: { type: 'fieldChanged', module: 'Leads', field: 'leadStatus', to: 'New' } },
    { id: 'won', from: ['qualified'], to: 'customer', trigger: { type: 'manual' } },
  ],
});
const STATE_IDS = definition.states.map((s) => s.id);
const T0 = Date.parse('2027-02-01T09:00:00.000Z');

let base: AppDeps;
beforeAll(async () => {
  base = await createTestDeps();
});

const busEvent = (name: string, id: string, at: string, data: unknown): BusEvent => ({
  version: '0', id, source: 'keiro', 'detail-type': name, account: 'local', region: 'local', time: at, resources: [],
  detail: { metadata: { id, occurredAt: at, actor: 'u-agent', correlationId: id }, data },
});

const recordEvent = (name: 'record.created' | 'record.updated', leadId: string, version: number, at: string, fields: Record<string, string>, changes: Array<{ field: string; old: unknown; new: unknown }>) =>
  busEvent(name, ulid(), at, {
    module: 'Leads', recordId: leadId, version, ownerId: 'u-agent', changes,
    record: { id: leadId, module: 'Leads', version, ownerId: 'u-agent', fields, createdAt: at, updatedAt: at },
  });

const opArb = fc.record({
  lead: fc.nat({ max: 5 }),
  kind: fc.constantFrom('status', 'status', 'status', 'manual', 'redeliver'),
  status: fc.constantFrom(...STATUSES),
  gapMs: fc.oneof(fc.integer({ min: 0, max: 900 }), fc.integer({ min: 1000, max: 3 * 86_400_000 })),
});

describe('journey report and paths through the real router and DynamoDB counters', () => {
  it('equal a full recomputation from the instance histories, for random event sequences of many records (medians within the stated error)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), fc.integer({ min: 2, max: 6 }), async (ops, leadCount) => {
        let now = T0;
        const deps: AppDeps = { ...base, clock: () => new Date(now) };
        const journeyId = ulid();
        const stored = await saveDefinition(deps, 'journey', journeyId, definition, undefined, { actor: 'u-admin', via: 'api', correlationId: 'p' });
        await putActiveJourney(deps, { journeyId, version: stored.version, name: definition.name });
        const leads = Array.from({ length: leadCount }, () => ({ id: ulid(), version: 1, status: 'New' as string, last: undefined as BusEvent | undefined }));
        for (const lead of leads) {
          now += 60_000;
          const created = recordEvent('record.created', lead.id, 1, new Date(now).toISOString(), { lastName: 'P', leadStatus: 'New' }, [{ field: 'lastName', old: null, new: 'P' }]);
          await handleJourneyEvent(created, deps);
          lead.last = created;
        }
        for (const op of ops) {
          const lead = leads[op.lead % leadCount]!;
          now += op.gapMs;
          const at = new Date(now).toISOString();
          if (op.kind === 'redeliver') {
            await handleJourneyEvent(lead.last!, deps); // the same event id again: no second effect
          } else if (op.kind === 'manual') {
            const [alias] = (await instancesOfCustomers(deps, [lead.id])).filter((a) => a.journeyId === journeyId);
            const [instance] = await getInstances(deps, [alias!.instanceId]);
            await moveInstanceByHand(deps, instance!, instance!.state === 'qualified' ? 'customer' : 'lost', undefined, { actor: 'u-admin', via: 'journey', correlationId: 'm' });
          } else if (op.status !== lead.status) {
            lead.version += 1;
            const event = recordEvent('record.updated', lead.id, lead.version, at, { lastName: 'P', leadStatus: op.status }, [{ field: 'leadStatus', old: lead.status, new: op.status }]);
            lead.status = op.status;
            await handleJourneyEvent(event, deps);
            lead.last = event;
          }
        }
        const aliases = (await instancesOfCustomers(deps, leads.map((l) => l.id))).filter((a) => a.journeyId === journeyId);
        expect(aliases).toHaveLength(leadCount);
        const histories = (await getInstances(deps, aliases.map((a) => a.instanceId))).map((i) => i.visits);
        const days = [...new Set(histories.flat().flatMap((v) => [v.enteredAt, v.leftAt ?? v.enteredAt]).map((t) => t.slice(0, 10)))].sort();
        const ranges = [{}, { from: days[0], to: days[0] }, { from: days[Math.floor(days.length / 2)], to: days.at(-1) }];
        for (const range of ranges) {
          const expected = recompute(histories, STATE_IDS, 'customer', range);
          const counters = await readReportCounters(deps, journeyId, range);
          expect(buildReport(STATE_IDS, sumDays(counters.days), counters.now), JSON.stringify(range)).toEqual(expected.report);
          for (const figures of expected.report.states) {
            const exact = expected.exactMedians.get(figures.state);
            if (exact !== undefined && exact >= 1000) expect(Math.abs(figures.medianMs! - exact) / exact).toBeLessThanOrEqual(MEDIAN_RELATIVE_ERROR + 1e-9);
          }
          // Paths count the instances that started in the period.
          const started = histories.filter((h) => (!('from' in range) || h[0]!.enteredAt.slice(0, 10) >= range.from!) && (!('to' in range) || h[0]!.enteredAt.slice(0, 10) <= range.to!));
          expect(buildPaths(await readPathCounters(deps, journeyId, range), 'customer', Number.MAX_SAFE_INTEGER)).toEqual(recompute(started, STATE_IDS, 'customer').paths);
          // Drop-off reads the same items with their start days: one route per (start day, path) of the instances.
          const routes = new Map<string, number>();
          for (const h of started) routes.set(`${h[0]!.enteredAt.slice(0, 10)}|${pathKey(h)}`, (routes.get(`${h[0]!.enteredAt.slice(0, 10)}|${pathKey(h)}`) ?? 0) + 1);
          const rules = { goal: 'customer', deadEnds: new Set<string>(), timedOutBefore: days[Math.floor(days.length / 2)]! };
          const expectedRoutes = [...routes].map(([key, count]) => ({ startDay: key.split('|')[0]!, path: key.split('|')[1]!, count }));
          expect(stateOutcomes(await readRouteCounts(deps, journeyId, range), STATE_IDS, rules)).toEqual(stateOutcomes(expectedRoutes, STATE_IDS, rules));
        }
      }),
      { numRuns: 6 },
    );
  }, 240_000);
});
