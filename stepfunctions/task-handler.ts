import type { Context } from 'aws-lambda';
import { log, observe, withLambdaContext } from '../shared/adapters/telemetry.js';

type Input = Record<string, unknown> | null | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const field = (value: unknown, key: string): unknown => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined);

/**
 * The correlation id a state machine carries: `correlationId` of its input (workflows put it there,
 * e.g. the timer's request), else that of the event envelope that started it (`metadata.correlationId`,
 * also under `detail` or `Payload`), else `<kind>:<key>` of a timer request without one.
 */
export const correlationIdOfTaskInput = (input: unknown): string => {
  const candidates = [input, field(input, 'Payload'), field(input, 'detail')];
  for (const c of candidates) {
    const found = text(field(c, 'correlationId')) ?? text(field(field(c, 'metadata'), 'correlationId'));
    if (found) return found;
  }
  const kind = text(field(input, 'kind'));
  const key = text(field(input, 'key'));
  return kind && key ? `${kind}:${key}` : 'none';
};

/**
 * A step task handler with Keiro's telemetry: every log line and business metric of the task carries
 * the correlation id of the state machine's input (see correlationIdOfTaskInput). Wrap both the Lambda entry and the local handler:
 *
 *     export const handler = observedTask('timer-wake', (input) => wake(deps, input));
 */
export const observedTask =
  <O>(task: string, run: (input: unknown) => Promise<O>) =>
  (input: unknown, context?: Context): Promise<O> =>
    observe({ handler: `task:${task}`, correlationId: correlationIdOfTaskInput(input as Input) }, async () => {
      withLambdaContext(context);
      const output = await run(input);
      log.info('Task done', {});
      return output;
    });
