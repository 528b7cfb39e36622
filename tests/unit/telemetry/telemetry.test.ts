import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { businessMetric, BUSINESS_METRICS, resetMetricsForTests } from '../../../shared/adapters/metrics.js';
import { correlationIdFrom, currentTelemetry, log, observe, redact, safeError } from '../../../shared/adapters/telemetry.js';
import { UnconfirmedSend, recipientDigest } from '../../../shared/db/mail-once.js';
import { correlationIdOfTaskInput, observedTask } from '../../../stepfunctions/task-handler.js';
import { captureOutput, findPersonalData, phoneCore, type CapturedOutput } from '../../support/capture-output.js';

let output: CapturedOutput;
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => output.restore());

describe('redact', () => {
  it.each([
    ['mail aoi.kimura+trip@customer.example now', 'mail [email] now'],
    ['to: "Mori" <MORI@Example.JP>', 'to: "Mori" <[email]>'],
    ['phone 090-1234-5678.', 'phone [phone].'],
    ['phone +81 90 1234 5678', 'phone [phone]'],
    ['phone (03) 5555-0199', 'phone [phone]'],
    ['phone 09012345678', 'phone [phone]'],
    ['+1 415 555 0100', '[phone]'],
  ])('%s', (text, expected) => expect(redact(text)).toBe(expected));

  it('leaves ids, dates, versions and short numbers alone', () => {
    for (const text of ['record 01JDEMOTRA0000000000000001 v3', 'due 2027-05-01', 'took 120 ms', 'REC#Leads#01HZX', 'status 412']) expect(redact(text)).toBe(text);
  });

  it('never lets a generated email or phone through, whatever surrounds it', () => {
    const phone = fc.tuple(fc.constantFrom('090', '080', '+81 90', '(070)', '03'), fc.stringMatching(/^\d{4}$/), fc.stringMatching(/^\d{4}$/), fc.constantFrom(' ', '-', '.', ''));
    fc.assert(
      fc.property(fc.emailAddress(), phone, fc.string({ maxLength: 20 }), (email, [head, a, b, sep], noise) => {
        const number = `${head}${sep}${a}${sep}${b}`;
        const redacted = redact(`${noise} ${email} ${noise} ${number} ${noise}`);
        // The noise alone might hold the phone's digits by chance: then there is nothing to prove.
        const noiseHasIt = findPersonalData(noise, { emails: [email], phones: [number], texts: [] }).length > 0;
        return noiseHasIt || findPersonalData(redacted, { emails: [email], phones: [number], texts: [] }).length === 0;
      }),
    );
  });
});

describe('safeError', () => {
  it('an unconfirmed send names its recipient by a digest only (Lambda logs the errors a consumer throws)', () => {
    const error = new UnconfirmedSend('01EVENT', 'Aoi@customer.example');
    expect(error.message).not.toContain('@');
    expect(error.message).toContain(recipientDigest('aoi@customer.example'));
  });

  it('keeps the name and redacts message and stack', () => {
    const e = safeError(new Error('SES refused aoi@customer.example (+81 90 1234 5678)'));
    expect(e.errorName).toBe('Error');
    expect(e.errorMessage).toBe('SES refused [email] ([phone])');
    expect(JSON.stringify(e)).not.toMatch(/aoi@customer\.example|1234/);
  });
  it('describes what is not an Error without printing it', () => {
    expect(safeError({ email: 'x@y.example' })).toMatchObject({ errorName: 'Error', errorMessage: 'non-Error thrown' });
  });
});

describe('correlation ids', () => {
  it('takes a sane caller id, redacted, and falls back otherwise', () => {
    expect(correlationIdFrom('abc-123', 'req')).toBe('abc-123');
    expect(correlationIdFrom('a@b.example', 'req')).toBe('[email]');
    expect(correlationIdFrom('', 'req')).toBe('req');
    expect(correlationIdFrom('x'.repeat(201), 'req')).toBe('req');
    expect(correlationIdFrom('with space', 'req')).toBe('req');
    expect(correlationIdFrom(undefined, 'req')).toBe('req');
  });

  it('every line of a handling carries its own correlation id, with concurrent handlings interleaved', async () => {
    const tick = () => new Promise((r) => setTimeout(r, 1));
    await Promise.all(
      ['c-1', 'c-2', 'c-3'].map((correlationId) =>
        observe({ handler: 'test', correlationId, ids: { eventId: `e-${correlationId}` } }, async () => {
          for (let i = 0; i < 3; i++) {
            await tick();
            log.info('step', { i });
          }
          businessMetric('RecordsCreated', 1, { module: 'Leads' });
        }),
      ),
    );
    expect(currentTelemetry()).toBeUndefined();
    const lines = output.json();
    const steps = lines.filter((l) => l.message === 'step');
    expect(steps).toHaveLength(9);
    for (const l of steps) expect(l.eventId).toBe(`e-${l.correlationId}`);
    const metrics = lines.filter((l) => l.RecordsCreated === 1);
    expect(metrics.map((l) => l.correlationId).sort()).toEqual(['c-1', 'c-2', 'c-3']);
  });

  it.each([
    [{ kind: 'cadence', key: 'E1', wakeAt: '2027-01-01T00:00:00.000Z', token: 't', correlationId: 'c-timer' }, 'c-timer'],
    [{ metadata: { id: 'e1', correlationId: 'c-envelope' }, data: {} }, 'c-envelope'],
    [{ detail: { metadata: { correlationId: 'c-detail' } } }, 'c-detail'],
    [{ Payload: { correlationId: 'c-payload' } }, 'c-payload'],
    [{ kind: 'journey', key: 'J1', wakeAt: 'x', token: 't' }, 'journey:J1'],
    [null, 'none'],
    ['text', 'none'],
  ])('a step task reads the correlation id of %j', (input, expected) => expect(correlationIdOfTaskInput(input)).toBe(expected));

  it('an observed step task logs with the correlation id of its input and returns its output', async () => {
    const task = observedTask('timer-wake', async (input) => ({ woke: (input as { key: string }).key, inside: currentTelemetry()?.correlationId }));
    expect(await task({ kind: 'cadence', key: 'E1', correlationId: 'c-9' })).toEqual({ woke: 'E1', inside: 'c-9' });
    expect(output.json().find((l) => l.message === 'Task done')).toMatchObject({ handler: 'task:timer-wake', correlationId: 'c-9' });
  });
});

describe('businessMetric', () => {
  it('writes one EMF line in the Keiro namespace, with its dimensions and the value', () => {
    businessMetric('EmailsSent', 2, { sender: 'consumer:notify-requester' });
    const [line] = output.json().filter((l) => l._aws);
    expect(line).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Keiro', Dimensions: [['service', 'sender']], Metrics: [{ Name: 'EmailsSent', Unit: 'Count' }] }] },
      sender: 'consumer:notify-requester',
      EmailsSent: 2,
    });
    expect(typeof line?._aws.Timestamp).toBe('number');
    expect(output.text().trim().split('\n')).toHaveLength(1);
  });

  it("one metric's dimensions and correlation id never carry over to the next line", async () => {
    await observe({ handler: 'test', correlationId: 'c-first' }, async () => businessMetric('RecordsCreated', 1, { module: 'Leads' }));
    businessMetric('EmailsSent', 1);
    const [first, second] = output.json().filter((l) => l._aws);
    expect(first).toMatchObject({ _aws: { CloudWatchMetrics: [{ Dimensions: [['service', 'module']] }] }, module: 'Leads', correlationId: 'c-first', RecordsCreated: 1 });
    expect(second).toMatchObject({ _aws: { CloudWatchMetrics: [{ Dimensions: [['service']], Metrics: [{ Name: 'EmailsSent', Unit: 'Count' }] }] }, EmailsSent: 1 });
    expect(second).not.toHaveProperty('module');
    expect(second).not.toHaveProperty('correlationId');
    expect(second).not.toHaveProperty('RecordsCreated');
  });

  it('reads its on/off switch once, at the first figure: a later change is seen only after the tests\' reset hook', () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    resetMetricsForTests();
    businessMetric('EmailsSent', 1);
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    businessMetric('EmailsBounced', 1);
    resetMetricsForTests();
    businessMetric('RecordsCreated', 1);
    expect(output.json().filter((l) => l._aws).map((l) => Object.keys(l).find((k) => k in BUSINESS_METRICS))).toEqual(['RecordsCreated']);
  });

  it('lists every name the issue asks for', () => {
    expect(Object.keys(BUSINESS_METRICS)).toEqual(
      expect.arrayContaining(['TransitionsMade', 'ApprovalsDecided', 'EmailsSent', 'EmailsBounced', 'EmailsOpened', 'RuleRuns', 'RuleRunFailures', 'RecordsCreated', 'RecordsUpdated', 'KioskRunsCompleted', 'WizardSessionsFinished', 'RequestsSubmitted']),
    );
  });
});

describe('the personal-data scanner', () => {
  it('finds a phone in any format by its last digits, and emails case-insensitively', () => {
    expect(phoneCore('090-1234-5678')).toBe(phoneCore('+81 90 1234 5678'));
    expect(findPersonalData('call (090) 1234.5678', { emails: [], phones: ['+81 90-1234-5678'], texts: [] })).toHaveLength(1);
    expect(findPersonalData('AOI@CUSTOMER.EXAMPLE', { emails: ['aoi@customer.example'], phones: [], texts: [] })).toHaveLength(1);
    expect(findPersonalData('nothing here 2027-05-01', { emails: ['aoi@customer.example'], phones: ['090-1234-5678'], texts: ['Kimura'] })).toEqual([]);
  });
});
