import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { wakeEnrollment } from '../../../functions/cadences/run-enrollment.js';
import { CADENCE_TIMER_KIND, cadenceTimerKey } from '../../../functions/cadences/replan.js';
import { getEnrollment, type EnrollmentItem } from '../../../shared/db/enrollments-repo.js';
import { eraseRecord } from '../../../shared/db/erasure-repo.js';
import { getModule } from '../../../shared/db/modules-repo.js';
import { recordKeys } from '../../../shared/db/keys.js';
import { Conflict } from '../../../shared/domain/errors.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';
import { itemsHolding } from '../../support/table-scan.js';
import { racedDb } from '../../support/raced-db.js';

// CI found it under load: a cadence wake that claimed its email before the erasure's mark recorded the
// send (its `email.sent` history entry, with the address) after the erasure had read the record's
// history and before it read the enrollment. The erasure saw the step sent, finished, and left the
// address in that entry. Here the wake's write is held at that exact moment, so the race is certain.

let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const sendCommand = (command: unknown): boolean => command instanceof TransactWriteCommand && JSON.stringify(command.input).includes('"email.sent"');

/** A db whose `email.sent` write waits until `open()`: the wake has sent, and is about to record it. */
const gatedSender = (deps: AppDeps) => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let reached!: () => void;
  const atGate = new Promise<void>((resolve) => (reached = resolve));
  const db = racedDb(deps, sendCommand, {
    before: () => {
      reached();
      return gate;
    },
  });
  return { db, open, atGate };
};

/** A db that lets `meanwhile` run right after the erasure first reads the record's history partition. */
const afterHistoryRead = (deps: AppDeps, recordPK: string, meanwhile: () => Promise<void>): AppDeps['db'] =>
  racedDb(
    deps,
    (command) => {
      const values = command instanceof QueryCommand ? command.input.ExpressionAttributeValues : undefined;
      return values?.[':pk'] === recordPK && values[':hist'] === undefined;
    },
    { after: meanwhile },
  );

describe('erasing a record while its cadence email is being recorded', () => {
  it('the erasure waits for the send (409) and, run again, leaves no copy of the address', async () => {
    const tag = `${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
    const steps = [{ id: 'only', type: 'email', timing: { after: 'enrollment', amount: 0, unit: 'minutes' }, subject: 'Hello {{firstName}}', text: 'Hi.' }];
    const cadence = await api.call<{ id: string }>('u-admin', 'POST', '/v1/cadences', { body: { name: `Erase mid-send ${tag}`, module: 'Leads', sender: { name: 'Keiro' }, steps } });
    expect((await api.call('u-admin', 'POST', `/v1/cadences/${cadence.body.id}/activate`)).status).toBe(200);
    const email = `midsend.${tag}@example.jp`;
    const lead = await api.call<{ id: string }>('u-agent', 'POST', '/v1/records/Leads', { body: { fields: { firstName: `Mid${tag}`, lastName: 'Send', email } } });
    expect(lead.status).toBe(201);
    await api.call('u-agent', 'POST', `/v1/cadences/${cadence.body.id}/enrollments`, { body: { recordIds: [lead.body.id] } });
    const enrollment = (await getEnrollment(api.deps, cadence.body.id, lead.body.id)) as EnrollmentItem;
    const timer = { kind: CADENCE_TIMER_KIND, key: cadenceTimerKey(enrollment.cadenceId, enrollment.recordId), wakeAt: enrollment.wakeAt ?? new Date().toISOString(), token: enrollment.planToken as string };

    // The wake claims and sends, then stops just before recording the send.
    const sender = gatedSender(api.deps);
    const wake = wakeEnrollment({ ...api.deps, db: sender.db }, timer);
    await sender.atGate;

    const module = (await getModule(api.deps, 'Leads')) as ModuleMetadata;
    const erase = (deps: AppDeps) => eraseRecord(deps, module, lead.body.id, { actor: 'u-admin', via: 'api', correlationId: tag, reason: 'mid-send' }, 'mid-send');
    const recordPK = recordKeys.key('Leads', lead.body.id).PK;
    let wakeDone = false;
    const letTheWakeRecord = async () => {
      sender.open();
      await wake;
      wakeDone = true;
    };
    const first = await erase({ ...api.deps, db: afterHistoryRead(api.deps, recordPK, letTheWakeRecord) }).then(
      (record) => record,
      (error: unknown) => error,
    );
    // The send is in flight whatever the erasure read first: it is waited for, not finished around.
    expect(first).toBeInstanceOf(Conflict);
    if (!wakeDone) await letTheWakeRecord();
    expect((await getEnrollment(api.deps, cadence.body.id, lead.body.id))?.steps.only).toMatchObject({ status: 'sent' });

    const done = await erase(api.deps);
    expect(done.erasure).toMatchObject({ status: 'done' });
    expect(await itemsHolding(api.deps, [email, `Mid${tag}`])).toEqual([]);
  });
});
