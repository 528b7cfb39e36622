import { getInstance, getInstances, instancesOfCustomers, type StoredInstance } from '../../shared/db/journeys-repo.js';
import { requireRecord } from '../../shared/db/records-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { implement, json } from '../../shared/http/operation.js';
import { enforceOnRecord, moduleAccess } from '../records/record-access.js';
import { journeyReader, requireJourney } from './definitions.js';
import { journeysRoutes } from './routes.js';
import { journeyVersion, moveInstanceByHand } from './run-instances.js';
import { Invalid, Conflict, NotFound } from '../../shared/domain/errors.js';

const historyOf = (i: StoredInstance) => i.visits.map((v) => ({ state: v.state, enteredAt: v.enteredAt, ...(v.leftAt ? { leftAt: v.leftAt } : {}), reason: v.reason }));

export const instanceView = (i: StoredInstance) => ({
  instanceId: i.instanceId,
  journeyId: i.journeyId,
  journeyName: i.journeyName,
  journeyVersion: i.journeyVersion,
  state: i.state,
  version: i.version,
  customers: i.customers,
  history: historyOf(i),
});

/**
 * The journeys following a record's customer.
 * 1. The caller may read the record. 2. The record's aliases → its instances (one Query + one BatchGet):
 * a contact shows the instance that started with its lead.
 */
export const recordJourneysOperation = implement(journeysRoutes.recordJourneys, async (req, deps) => {
  const access = await moduleAccess(req, deps, req.params.module, 'read');
  const record = await requireRecord(deps, req.params.module, req.params.id);
  await enforceOnRecord(deps, access, 'read', record);
  const aliases = await instancesOfCustomers(deps, [record.id]);
  const instances = await getInstances(deps, aliases.map((a) => a.instanceId));
  const items = instances
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map((i) => ({ journeyId: i.journeyId, journeyName: i.journeyName, instanceId: i.instanceId, state: i.state, history: historyOf(i) }));
  return json(200, { items });
});

/**
 * Move an instance by hand.
 * 1. The instance belongs to the journey (404). 2. The caller may change the customer's current record
 *    (owner, above the owner, or admin). 3. The target is a state of the instance's version (400).
 * 4. Written like any move: instance, counters, state-change entry (its entry actions run), timers.
 */
export const moveInstanceOperation = implement(journeysRoutes.moveInstance, async (req, deps) => {
  await journeyReader(req, deps);
  await requireJourney(deps, req.params.id);
  const instance = await getInstance(deps, req.params.instanceId);
  if (!instance || instance.journeyId !== req.params.id) throw new NotFound(`No instance ${req.params.instanceId} in journey ${req.params.id}`);
  const customer = instance.customers.at(-1)!;
  const access = await moduleAccess(req, deps, customer.module, 'read');
  const record = await requireRecord(deps, customer.module, customer.id);
  await enforceOnRecord(deps, access, 'update', record);
  const def = await journeyVersion(deps, instance.journeyId, instance.journeyVersion);
  if (!def.states.some((s) => s.id === req.body.to)) throw new Invalid('Unknown state', [{ path: 'to', message: `No state ${req.body.to} in version ${instance.journeyVersion} of this journey` }]);
  const moved = await moveInstanceByHand(deps, instance, req.body.to, req.body.reason, { ...changeContext(req, deps, 'journey'), automation: { kind: 'journey', id: instance.journeyId, name: instance.journeyName } });
  if (!moved) throw new Conflict('The instance is being moved by others; try again');
  return json(200, instanceView(moved), { ETag: etag(moved.version) });
});
