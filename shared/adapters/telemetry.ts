import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * What every log line (and metric) of one handling carries: which handler runs and the correlation id
 * that ties a request to the events and workflow steps it causes. Ids only, never personal data.
 */
export interface TelemetryContext {
  /** `records`, `consumer:notify-requester`, `task:timer-wake`, `outbox-enricher`… */
  handler: string;
  correlationId: string;
  /** Further ids of the handling: requestId, eventId, detailType, executionId. */
  ids?: Record<string, string>;
}

const storage = new AsyncLocalStorage<TelemetryContext>();

/** The handling in progress in this async flow (the local cloud runs many at once in one process). */
export const currentTelemetry = (): TelemetryContext | undefined => storage.getStore();

/**
 * The one Powertools Logger of the process: JSON lines on stdout, the function's service name
 * (POWERTOOLS_SERVICE_NAME) and level (POWERTOOLS_LOG_LEVEL). Call it through `log` so each line carries
 * the current handling's correlation id.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'keiro' });

const EMAIL = /[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"'[\]]+\.[A-Za-z0-9-]{2,}/g;
// A phone number in any usual format: 7+ digits with optional +, spaces, dots, dashes and parentheses,
// not inside an id (no letter or digit right before or after) and not an ISO date.
const PHONE = /(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?!\w)/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Strips what looks like an email address or a phone number from a text meant for logs. A second line
 * of defence: log lines are built from ids in the first place, but error messages of libraries may
 * quote the values they refused.
 */
export const redact = (text: string): string =>
  text.replace(EMAIL, '[email]').replace(PHONE, (m) => (m.replace(/\D/g, '').length >= 7 && !ISO_DATE.test(m.trim()) ? '[phone]' : m));

/** An error as a log line may carry it: name, redacted message and stack, never the inputs. */
export const safeError = (error: unknown): { errorName: string; errorMessage: string; stack?: string } => {
  const e = error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'non-Error thrown');
  return { errorName: e.name || 'Error', errorMessage: redact(e.message).slice(0, 1000), ...(e.stack ? { stack: redact(e.stack).slice(0, 4000) } : {}) };
};

/**
 * The error to rethrow where the platform logs it (a consumer Lambda's failed attempt: the runtime
 * prints the thrown error's message and stack): same name, redacted message and stack.
 */
export const redactedError = (error: unknown): Error => {
  const { errorName, errorMessage, stack } = safeError(error);
  const redacted = new Error(errorMessage);
  redacted.name = errorName;
  if (stack) redacted.stack = stack;
  return redacted;
};

type Attributes = Record<string, string | number | boolean | undefined>;

const withContext = (attributes: Attributes): Record<string, unknown> => {
  const ctx = currentTelemetry();
  return { ...(ctx ? { handler: ctx.handler, correlationId: ctx.correlationId, ...ctx.ids } : {}), ...attributes };
};

/**
 * Structured logging for Keiro code. Attributes are ids, names of things Keiro defines (modules,
 * routes, consumers), counts and outcomes; never field values, emails, phones, names or message bodies.
 */
export const log = {
  debug: (message: string, attributes: Attributes = {}) => logger.debug(message, withContext(attributes)),
  info: (message: string, attributes: Attributes = {}) => logger.info(message, withContext(attributes)),
  warn: (message: string, attributes: Attributes = {}) => logger.warn(message, withContext(attributes)),
  error: (message: string, error: unknown, attributes: Attributes = {}) => logger.error(message, withContext({ ...attributes, ...safeError(error) })),
};

/**
 * Runs one handling (an API request, a bus event, a workflow task) with its telemetry context: every
 * `log` line and business metric inside carries the correlation id. In Lambda, active tracing records
 * the invocation's X-Ray segment, and each log line carries its `xray_trace_id` (Powertools logger), so
 * a trace finds its log lines and through them the correlation id. No X-Ray SDK is loaded: it cost
 * about 30 ms of CPU at every cold start (tests/README.md, "Cold starts").
 */
export const observe = <T>(context: TelemetryContext, run: () => Promise<T>): Promise<T> => storage.run(context, run);

/**
 * A correlation id as a log and trace may carry it: the caller's id when it is a sane one (printable,
 * 1–200 characters, as the X-Correlation-Id header's rule), else `fallback`; redacted, in case a caller
 * put an email address or a phone number there.
 */
export const correlationIdFrom = (given: unknown, fallback: string): string =>
  typeof given === 'string' && /^[\x21-\x7e]{1,200}$/.test(given) ? redact(given) : fallback;

/**
 * In Lambda: the invocation's context on every log line (function name and version, request id, cold
 * start), as Powertools' injectLambdaContext does. Lambda runs one invocation at a time per process, so
 * the keys are the current invocation's; the local cloud passes no context.
 */
export const withLambdaContext = (context: Context | undefined): void => {
  if (context && typeof context.functionName === 'string') logger.addContext(context);
};
