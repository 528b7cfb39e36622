import type { AppDeps } from '../../shared/adapters/deps.js';
import type { JourneyDefinition } from '../../shared/domain/journey/definition.js';
import { addCustomerRecord, MAX_JOURNEY_DEPTH, moveByHand, onEvent, onTimer, startInstance, type JourneyEvent, type JourneyTimer, type Moved } from '../../shared/domain/journey/engine.js';
import type { WakeResult } from '../../shared/domain/timers/timer.js';
import { requireDefinitionVersion } from '../../shared/db/definitions-repo.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { AlreadyApplied, cappedWake, getInstance, InstanceRace, instancesOfCustomers, listActiveJourneys, parseTimerToken, writeInstance, type CustomerRef, type StoredInstance } from '../../shared/db/journeys-repo.js';

const MAX_RACES = 6;

const versions = new Map<string, JourneyDefinition>();

/** One saved version of a journey (immutable, so cached per table). */
export const journeyVersion = async (deps: AppDeps, journeyId: string, version: number): Promise<JourneyDefinition> => {
  const key = `${deps.tableName}|${journeyId}|${version}`;
  const cached = versions.get(key);
  if (cached) return cached;
  const stored = await requireDefinitionVersion<JourneyDefinition>(deps, 'journey', journeyId, version);
  versions.set(key, stored.definition);
  return stored.definition;
};

/** What a bus event means to journeys: the engine's event, the customer records it may concern, and the record it is about. */
export interface JourneyInput {
  eventId: string;
  event: JourneyEvent;
  /** Customer record ids the event may concern (the record itself, and leads/contacts its lookups name). */
  candidates: string[];
  /** The record the event is about (the trigger of a move; the customer of a new instance). */
  record?: CustomerRef & { fields: Record<string, unknown> };
  /** After a conversion: the contact the lead's instances now follow too. */
  convertedTo?: CustomerRef;
  ctx: ChangeContext;
}

type Step = (instance: StoredInstance, def: JourneyDefinition) => { moved?: Moved; instance: StoredInstance; timers: JourneyTimer[]; newCustomers: CustomerRef[]; reason?: string } | undefined;

const withInstance = (stored: StoredInstance, next: Moved['instance']): StoredInstance => ({ ...stored, ...next });

/**
 * Applies one step to one instance, re-reading after a lost race; idempotent on `appliedId`
 * (a redelivered event finds its mark and does nothing).
 */
const applyStep = async (deps: AppDeps, instanceId: string, appliedId: string, ctx: ChangeContext, step: Step, trigger?: CustomerRef): Promise<StoredInstance | undefined> => {
  for (let attempt = 1; attempt <= MAX_RACES; attempt++) {
    const before = await getInstance(deps, instanceId);
    if (!before) return undefined;
    const def = await journeyVersion(deps, before.journeyId, before.journeyVersion);
    const result = step(before, def);
    if (!result) return before;
    try {
      await writeInstance(deps, {
        before,
        after: result.instance,
        appliedId,
        newCustomers: result.newCustomers,
        timers: result.timers,
        ...(result.moved ? { entered: { from: before.state, to: result.moved.entered.id, reason: result.reason ?? result.instance.visits.at(-1)!.reason, ...(trigger ? { trigger } : {}) } } : {}),
        ctx,
      });
      return result.instance;
    } catch (error) {
      if (error instanceof AlreadyApplied) return before;
      if (!(error instanceof InstanceRace) || attempt === MAX_RACES) throw error;
    }
  }
  return undefined;
};

/** The engine's answer to an event, as a step (conversion first adds the contact to the customer's records). */
const eventStep =
  (input: JourneyInput): Step =>
  (before, def) => {
    let stored = before;
    const newCustomers: CustomerRef[] = [];
    if (input.convertedTo && !before.customerIds.includes(input.convertedTo.id)) {
      stored = { ...withInstance(before, addCustomerRecord(before, input.convertedTo.id)), customers: [...before.customers, input.convertedTo] };
      newCustomers.push(input.convertedTo);
    }
    const result = onEvent(def, stored, input.event);
    if (!result) return newCustomers.length > 0 ? { instance: stored, timers: [], newCustomers } : undefined;
    const instance = withInstance(stored, result.instance);
    return 'entered' in result ? { moved: result, instance, timers: result.timers, newCustomers } : { instance, timers: result.timers, newCustomers };
  };

/**
 * The journey router's use case for one event.
 * 1. Read the active journeys (one Query) and the instances that follow the candidate customer records (aliases).
 * 2. Each instance: the engine moves it (or only keeps its email bookkeeping); one transaction writes the
 *    instance, the applied-event mark, new aliases, report counters, the state-change entry and timers.
 * 3. A record created in a journey's first module with no instance yet starts one (if it matches the entry).
 */
export const routeJourneyEvent = async (deps: AppDeps, input: JourneyInput): Promise<void> => {
  if ((input.ctx.depth ?? 0) > MAX_JOURNEY_DEPTH) return;
  const active = await listActiveJourneys(deps);
  if (active.length === 0) return;
  const aliases = await instancesOfCustomers(deps, input.candidates);
  const trigger = input.record ? { module: input.record.module, id: input.record.id } : undefined;
  for (const journey of active) {
    const ctx: ChangeContext = { ...input.ctx, automation: { kind: 'journey', id: journey.journeyId, name: journey.name } };
    const instanceIds = [...new Set(aliases.filter((a) => a.journeyId === journey.journeyId).map((a) => a.instanceId))];
    for (const instanceId of instanceIds) await applyStep(deps, instanceId, input.eventId, ctx, eventStep(input), trigger);
    if (instanceIds.length > 0 || input.event.kind !== 'record.created' || !input.record) continue;
    const def = await journeyVersion(deps, journey.journeyId, journey.version);
    if (input.record.module !== def.modules[0]) continue;
    // A creation from before the journey was activated (an event delivered late) does not enter it.
    if (journey.activatedAt && input.event.at < journey.activatedAt) continue;
    await startFor(deps, journey.journeyId, journey.version, def, input, ctx);
  }
};

const startFor = async (deps: AppDeps, journeyId: string, version: number, def: JourneyDefinition, input: JourneyInput, ctx: ChangeContext): Promise<void> => {
  const record = input.record!;
  const started = startInstance(def, journeyId, version, record.id, record.fields, input.event.at);
  if (!started) return;
  const after: StoredInstance = { ...started.instance, instanceId: deps.newId(), journeyName: def.name, customers: [{ module: record.module, id: record.id }], startedAt: input.event.at, updatedAt: input.event.at, rev: 0 };
  try {
    await writeInstance(deps, { after, appliedId: input.eventId, newCustomers: after.customers, timers: started.timers, entered: { to: started.entered.id, reason: after.visits[0]!.reason, trigger: { module: record.module, id: record.id } }, ctx });
  } catch (error) {
    // A second delivery of the same creation started it already (the customer's alias exists).
    if (!(error instanceof InstanceRace)) throw error;
  }
};

/**
 * A journey timer woke (the shared timer's wake handler for kind `journey`).
 * 1. Parse key (instance, transition) and token (version, deadline); a token of an older version ends quietly.
 * 2. Before the deadline (a far one reached in hops): wait again.
 * 3. The engine decides (stale, replied meanwhile… end quietly); a move is written like any other.
 */
export const wakeJourneyTimer = async (deps: AppDeps, timer: { key: string; token: string }): Promise<WakeResult> => {
  const [instanceId, transitionId] = timer.key.split('#') as [string, string | undefined];
  const token = parseTimerToken(timer.token);
  if (!transitionId || !token) return {};
  const now = deps.clock();
  if (now.getTime() < Date.parse(token.deadline)) return { next: { wakeAt: cappedWake(token.deadline, now), token: `${timer.token.split('#')[0]}#${now.toISOString()}` } };
  const instance = await getInstance(deps, instanceId);
  if (!instance || instance.version !== token.version) return {};
  const ctx: ChangeContext = { actor: 'system', via: 'journey', correlationId: `${instanceId}.${token.version}`, automation: { kind: 'journey', id: instance.journeyId, name: instance.journeyName } };
  await applyStep(deps, instanceId, `timer.${transitionId}.v${token.version}`, ctx, (before, def) => {
    const moved = onTimer(def, before, { transitionId, version: token.version }, now.toISOString());
    return moved ? { moved, instance: withInstance(before, moved.instance), timers: moved.timers, newCustomers: [] } : undefined;
  });
  return {};
};

/** A person moves an instance (the engine checks the state exists; UnknownState otherwise). */
export const moveInstanceByHand = async (deps: AppDeps, instance: StoredInstance, to: string, reason: string | undefined, ctx: ChangeContext): Promise<StoredInstance | undefined> =>
  applyStep(deps, instance.instanceId, deps.newId(), ctx, (before, def) => {
    const moved = moveByHand(def, before, to, deps.clock().toISOString(), reason);
    return { moved, instance: withInstance(before, moved.instance), timers: moved.timers, newCustomers: [] };
  });
