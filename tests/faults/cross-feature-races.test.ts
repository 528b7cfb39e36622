import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRouter } from '../../infra/local/events/router.js';
import { UPDATE_TRAVEL_INFO_KIOSK_ID } from '../../infra/local/seed-kiosks.js';
import type { ApiResponse, E2eApi } from '../support/e2e.js';
import { startE2eWithEvents, waitFor } from '../support/events.js';

// Cross-feature races on one record. A travel application (the seeded blueprint "Travel application"
// governs its stage; the seeded kiosk "Update travel info" changes its dates) also gets, through the
// admin APIs, an approval process (manual; the dates stay editable while it is pending) and two
// workflow rules (one on each approval decision, one on each blueprint transition, both setting
// `travellers`). Each round, with the record locked by a fresh approval, these act on it at once
// (Promise.all): the kiosk's last step, a blueprint transition (forward, or the manager's send-back),
// the manager's approval decision, and the rules the previous commands' events set off; a command
// refused by the lock or a lost race is sent again after a short pause, as a front-end would, until it lands.
// A careless user's PATCH with the version read before the race (If-Match) joins each round once, and in
// every other round the submitter recalls the approval while the manager decides it.
// Whatever the interleaving:
// - refusals are clean (409, 412 or 423 problem+json) and nothing answers 5xx;
// - nothing is lost: every accepted command is in the history exactly once (found by its correlation
//   id), and each field's final value is the newest value its history shows (the others superseded in order);
// - nothing is applied twice: one entry per command, one rule execution per (rule, source event), and
//   one automation entry per rule execution that changed something;
// - every history entry names its cause: actor, `via`, correlation id, and the automation for rule writes.

const ROUNDS = 6;
/** Attempts of one command in a round: a refused one (locked, lost race) is sent again after a short pause, as a front-end would. */
const MAX_ATTEMPTS = 100;
/** A front-end's pause before it sends a refused command again (client politeness, not a wait for anything). */
const retryPause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * attempt)));
const REFUSALS = new Set([409, 412, 423]);
const DATE_FIELDS = ['departureDate', 'returnDate', 'changeDetails', 'destination', 'stage', 'travellers'] as const;

interface HistoryEntry {
  id: string;
  event: string;
  actor: string;
  via: string;
  automation?: { kind: string; id: string; name: string };
  changes: Array<{ field: string; old: unknown; new: unknown }>;
  occurredAt: string;
  correlationId: string;
}
interface Execution {
  sourceEventId: string;
  outcome: string;
  actions: Array<{ status: string; detail?: string }>;
}
interface Command {
  kind: 'kiosk' | 'transition' | 'decision' | 'recall' | 'patch';
  correlationId: string;
  res: ApiResponse<any>;
}

describe('a kiosk update, a blueprint transition, an approval decision and workflow rules on one record at once', () => {
  let api: E2eApi;
  let router: EventRouter;
  let stop: () => Promise<void>;
  const stamp = Date.now();
  const phone = `090${String(stamp).slice(-8)}`;
  let tripId = '';
  let processId = '';
  const ruleIds: string[] = [];

  const withCorrelation = (correlationId: string) => ({ 'x-correlation-id': correlationId });

  beforeAll(async () => {
    // The local API and the real event path (outbox → stream poller → router → every product consumer).
    const cloud = await startE2eWithEvents();
    ({ api, stop } = cloud);
    router = cloud.events.router;
    const approval = await api.call('u-admin', 'POST', '/v1/approval-processes', {
      body: {
        name: `Trip change approval ${stamp}`,
        module: 'TravelApplications',
        triggers: { manual: true },
        criteria: { all: [] },
        levels: [{ approvers: [{ kind: 'user', userId: 'u-manager' }], rule: 'anyone' }],
        editableFields: ['departureDate', 'returnDate', 'changeDetails'],
      },
    });
    expect(approval.status, JSON.stringify(approval.body)).toBe(201);
    processId = approval.body.id;
    for (const [event, travellers] of [['approval.decided', 2], ['blueprint.transitioned', 3]] as const) {
      const rule = await api.call('u-admin', 'POST', '/v1/workflow-rules', {
        body: { name: `Travellers after ${event} ${stamp}`, module: 'TravelApplications', trigger: { type: 'event', event }, actions: [{ type: 'updateFields', fields: { travellers } }], active: true },
      });
      expect(rule.status, JSON.stringify(rule.body)).toBe(201);
      ruleIds.push(rule.body.id);
    }
    const contact = await api.call('u-agent', 'POST', '/v1/records/Contacts', { body: { fields: { firstName: 'Sora', lastName: `Race ${stamp}`, phone } } });
    expect(contact.status).toBe(201);
    const trip = await api.call('u-agent', 'POST', '/v1/records/TravelApplications', {
      body: { fields: { name: `Race ${stamp} — Sapporo`, contactId: contact.body.id, destination: 'Sapporo', departureDate: '2027-01-10', returnDate: '2027-01-14' } },
    });
    expect(trip.status).toBe(201);
    tripId = trip.body.id;
    const first = await api.call('u-agent', 'POST', `/v1/records/TravelApplications/${tripId}/transitions/requirements-checked`, { body: {}, headers: withCorrelation(`race-${stamp}-setup`) });
    expect(first.status).toBe(200);
  });
  afterAll(async () => {
    await stop?.();
  });

  /** A kiosk run of "Update travel info" for this trip, waiting on its last screen (the new dates). */
  const kioskAtNewDates = async (): Promise<string> => {
    const run = await api.call('u-agent', 'POST', `/v1/kiosks/${UPDATE_TRAVEL_INFO_KIOSK_ID}/runs`);
    expect(run.status).toBe(201);
    const picked = await api.call('u-agent', 'POST', `/v1/kiosk-runs/${run.body.runId}/submit`, { body: { screenId: 'customer-phone', values: { phone } } });
    expect(picked.body.screen?.id).toBe('pick-application');
    const dates = await api.call('u-agent', 'POST', `/v1/kiosk-runs/${run.body.runId}/submit`, { body: { screenId: 'pick-application', values: { application: tripId } } });
    expect(dates.body.screen?.id).toBe('new-dates');
    return run.body.runId as string;
  };

  const history = async (): Promise<HistoryEntry[]> => {
    const items: HistoryEntry[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${tripId}/history?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      items.push(...(res.body.items as HistoryEntry[]));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return items;
  };
  const executions = async (ruleId: string): Promise<Execution[]> => {
    const items: Execution[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await api.call('u-admin', 'GET', `/v1/workflow-rules/${ruleId}/executions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      items.push(...(res.body.items as Execution[]));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return items;
  };

  it(`${ROUNDS} rounds: the locks and versions hold, nothing is lost or applied twice, every entry names its cause`, async () => {
    const commands: Command[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const tag = `race-${stamp}-${round}`;
      const runId = await kioskAtNewDates();
      const submitted = await api.call('u-agent', 'POST', `/v1/records/TravelApplications/${tripId}/submit-for-approval`, { body: { processId }, headers: withCorrelation(`${tag}-submit`) });
      // The rules of the previous round may still be writing: a submit that loses to them is refused cleanly.
      expect([201, ...REFUSALS], JSON.stringify(submitted.body)).toContain(submitted.status);
      const before = await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${tripId}`);
      const stage = before.body.fields.stage as string;
      const month = String(round + 1).padStart(2, '0');
      /** Sends a command until it is accepted or refused for another reason than the race (423 locked, 409 lost), as a front-end retries. */
      const persist = async (kind: Command['kind'], send: (correlationId: string) => Promise<ApiResponse<any>>): Promise<void> => {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          const correlationId = `${tag}-${kind}-${attempt}`;
          const res = await send(correlationId);
          commands.push({ kind, correlationId, res });
          if (res.status !== 423 && res.status !== 409) return;
          await retryPause(attempt);
        }
      };
      const transition = (correlationId: string) =>
        stage === 'Travel Plan'
          ? api.call('u-agent', 'POST', `/v1/records/TravelApplications/${tripId}/transitions/travel-plan-ready`, {
              body: { fields: { destination: `Sapporo ${round}`, departureDate: `2027-${month}-05`, returnDate: `2027-${month}-09` } },
              headers: withCorrelation(correlationId),
            })
          : api.call('u-manager', 'POST', `/v1/records/TravelApplications/${tripId}/transitions/manager-sent-back`, { body: { note: `Round ${round}: rework the plan` }, headers: withCorrelation(correlationId) });
      const kiosk = (correlationId: string) =>
        api.call('u-agent', 'POST', `/v1/kiosk-runs/${runId}/submit`, {
          body: { screenId: 'new-dates', values: { departureDate: `2027-${month}-20`, returnDate: `2027-${month}-25`, changeDetails: `Round ${round}: the customer moved the trip` } },
          headers: withCorrelation(correlationId),
        });
      const decision = (correlationId: string) => api.call('u-manager', 'POST', `/v1/approvals/${submitted.body.id}/approve`, { body: { comment: `Round ${round}` }, headers: withCorrelation(correlationId) });
      // And a careless user: a PATCH with the version read before the race (If-Match), sent once.
      const patch = async () => {
        const correlationId = `${tag}-patch`;
        const res = await api.call('u-agent', 'PATCH', `/v1/records/TravelApplications/${tripId}`, { body: { fields: { changeDetails: `Round ${round}: a note typed on an old screen` } }, headers: { ...withCorrelation(correlationId), 'if-match': before.headers.get('etag') ?? '' } });
        commands.push({ kind: 'patch', correlationId, res });
      };
      // In even rounds the submitter also recalls the approval while the manager decides: exactly one of them wins.
      const recall = async () => {
        const correlationId = `${tag}-recall`;
        const res = await api.call('u-agent', 'POST', `/v1/approvals/${submitted.body.id}/recall`, { body: {}, headers: withCorrelation(correlationId) });
        commands.push({ kind: 'recall', correlationId, res });
      };
      const racingRecall = round % 2 === 0 && submitted.status === 201;
      const settle = racingRecall ? [decision(`${tag}-decision-1`).then((res) => void commands.push({ kind: 'decision', correlationId: `${tag}-decision-1`, res })), recall()] : submitted.status === 201 ? [persist('decision', decision)] : [];
      await Promise.all([persist('transition', transition), persist('kiosk', kiosk), ...settle, patch()]);
      if (racingRecall) {
        const mine = commands.filter((c) => c.correlationId === `${tag}-decision-1` || c.correlationId === `${tag}-recall`);
        expect(mine.filter((c) => c.res.status === 200), `round ${round}: decision or recall`).toHaveLength(1);
      }
    }

    // Clean answers: accepted, or refused with a problem+json 409/412/423; never a 5xx.
    for (const { kind, correlationId, res } of commands) {
      const what = `${kind} ${correlationId}: ${res.status} ${JSON.stringify(res.body)}`;
      expect(res.status, what).toBeLessThan(500);
      if (res.status >= 400) {
        expect(REFUSALS.has(res.status), what).toBe(true);
        expect(res.headers.get('content-type'), what).toContain('application/problem+json');
      } else expect(res.status, what).toBe(200);
      if (kind === 'patch') expect([200, 412, 423], what).toContain(res.status);
    }
    const accepted = commands.filter((c) => c.res.status === 200);
    // The race is real, and the retried commands got through: each kind in every round (the approval
    // decided or recalled).
    for (const kind of ['kiosk', 'transition'] as const) expect(accepted.filter((c) => c.kind === kind).length, kind).toBe(ROUNDS);
    expect(accepted.filter((c) => c.kind === 'decision' || c.kind === 'recall').length).toBe(ROUNDS);

    // Let the rules finish: every transition and decision in the history has its rule execution logged.
    const [onDecision, onTransition] = ruleIds as [string, string];
    const settled = await waitFor(async () => {
      const entries = await history();
      const decided = entries.filter((e) => e.event === 'approval.decided').map((e) => e.id);
      const transitioned = entries.filter((e) => e.event === 'blueprint.transitioned').map((e) => e.id);
      const [a, b] = await Promise.all([executions(onDecision), executions(onTransition)]);
      const covered = (ids: string[], runs: Execution[]) => ids.every((id) => runs.some((r) => r.sourceEventId === id));
      return covered(decided, a) && covered(transitioned, b) && { entries, runs: new Map([[onDecision, a], [onTransition, b]]) };
    }, 'every rule execution', 60_000);
    await router.drain();
    const entries = await history();
    expect(entries.length).toBeGreaterThanOrEqual(settled.entries.length);

    // Every accepted command is in the history exactly once; a refused one left nothing.
    const byCorrelation = (id: string) => entries.filter((e) => e.correlationId === id && e.via !== 'automation');
    const expectedEvent = { kiosk: 'record.updated', transition: 'blueprint.transitioned', decision: 'approval.decided', recall: 'approval.recalled', patch: 'record.updated' } as const;
    for (const { kind, correlationId, res } of commands) {
      const own = byCorrelation(correlationId).filter((e) => e.event === expectedEvent[kind]);
      expect(own, `${kind} ${correlationId} (${res.status})`).toHaveLength(res.status === 200 ? 1 : 0);
    }
    const kioskEntries = entries.filter((e) => e.via === 'kiosk');
    expect(kioskEntries).toHaveLength(accepted.filter((c) => c.kind === 'kiosk').length);

    // One execution per (rule, source event); one automation entry per execution that changed the record.
    for (const ruleId of ruleIds) {
      const runs = settled.runs.get(ruleId) ?? [];
      expect(new Set(runs.map((r) => r.sourceEventId)).size, ruleId).toBe(runs.length);
      const changed = runs.filter((r) => r.outcome === 'ran' && r.actions[0]?.status === 'done' && !r.actions[0]?.detail?.startsWith('no change'));
      const written = entries.filter((e) => e.via === 'automation' && e.automation?.id === ruleId);
      expect(written, ruleId).toHaveLength(changed.length);
      for (const run of runs) expect(['done', 'refused'], JSON.stringify(run)).toContain(run.actions[0]?.status);
    }

    // Every entry names its cause.
    const vias = new Set(['api', 'automation', 'kiosk', 'blueprint', 'approval']);
    for (const e of entries) {
      expect(e.actor, JSON.stringify(e)).toMatch(/^u-|^system$/);
      expect(vias.has(e.via), JSON.stringify(e)).toBe(true);
      expect(e.correlationId, JSON.stringify(e)).toBeTruthy();
      if (e.via === 'automation') expect(e.automation, JSON.stringify(e)).toMatchObject({ kind: 'workflow-rule', id: expect.any(String), name: expect.any(String) });
    }

    // Nothing lost: each field ends as its newest change in the history (entries are newest first). The
    // record's own entries carry its writes (a transition's blueprint.transitioned repeats its change).
    const writes = entries.filter((e) => e.event === 'record.created' || e.event === 'record.updated');
    const record = await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${tripId}`);
    expect(record.status).toBe(200);
    expect(record.body.lock).toBeUndefined();
    for (const field of DATE_FIELDS) {
      const newest = writes.find((e) => e.changes.some((c) => c.field === field))?.changes.find((c) => c.field === field);
      expect(record.body.fields[field] ?? null, field).toEqual(newest?.new ?? null);
    }
    // And the changes of each field chain: every entry's old value is the previous entry's new value.
    for (const field of DATE_FIELDS) {
      const chain = writes
        .flatMap((e) => e.changes.filter((c) => c.field === field))
        .reverse();
      for (let i = 1; i < chain.length; i++) expect(chain[i]!.old ?? null, `${field} change ${i}`).toEqual(chain[i - 1]!.new ?? null);
    }
    // No pending approval is left: each round's lock was released by its decision.
    const approvals = await api.call('u-agent', 'GET', `/v1/records/TravelApplications/${tripId}/approvals`);
    expect((approvals.body.items as Array<{ status: string }>).filter((a) => a.status === 'pending')).toEqual([]);
  });
});
