import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, type BusinessMetricName } from './business-metrics.js';
import { currentTelemetry } from './telemetry.js';

export { BUSINESS_METRICS, METRICS_NAMESPACE, type BusinessMetricName } from './business-metrics.js';

/**
 * Dimensions of a business metric: a few low-cardinality names Keiro defines (a module, a blueprint, a
 * consumer), never ids or personal data (each distinct combination is a metric CloudWatch bills).
 */
export type MetricDimensions = Readonly<Record<string, string>>;

// Built on the first business metric, not at import: most invocations record none, and building it is
// about 4 ms of a cold start's CPU (tests/README.md, "Cold starts"). Powertools reads its switches
// (POWERTOOLS_METRICS_DISABLED, POWERTOOLS_DEV, the service name) when a Metrics is built, so they are
// read once, here: a Lambda's environment does not change while it runs.
let metrics: Metrics | undefined;
const metricsOf = (): Metrics => (metrics ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'keiro' }));

/**
 * For tests only: forgets the Metrics instance, so the next figure reads the switches again. Tests
 * that turn the metric lines on or off at run time call it (tests/support/capture-output.ts does).
 */
export const resetMetricsForTests = (): void => {
  metrics = undefined;
};

/**
 * The metrics port features call: records `value` (default 1) of a business figure, now. Each call is
 * one EMF line on stdout, written at once: nothing is buffered, so nothing waits for the end of an
 * invocation. The line carries the current handling's correlation id as metadata (not a dimension).
 * `POWERTOOLS_METRICS_DISABLED=true` turns the lines off (the test runs do).
 *
 * One Metrics instance, published and cleared within this synchronous call: concurrent handlings in the
 * local cloud cannot interleave with it, so they never mix their dimensions. (Powertools' `singleMetric()`
 * would build a new Metrics, reading the environment again, on every call: about 0.35 ms of a record
 * create's CPU, tests/bench/RESULTS.md "Handlers in-process".)
 */
export const businessMetric = (name: BusinessMetricName, value = 1, dimensions: MetricDimensions = {}): void => {
  const shared = metricsOf();
  try {
    for (const [key, dimension] of Object.entries(dimensions)) shared.addDimension(key, dimension);
    const ctx = currentTelemetry();
    if (ctx) shared.addMetadata('correlationId', ctx.correlationId);
    shared.addMetric(name, MetricUnit.Count, value);
  } finally {
    // Publishing clears the metric, dimensions and metadata, even if adding one of them threw.
    shared.publishStoredMetrics();
  }
};
