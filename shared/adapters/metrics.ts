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
// about 4 ms of a cold start's CPU (tests/README.md, "Cold starts").
let metrics: Metrics | undefined;
const metricsOf = (): Metrics => (metrics ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'keiro' }));

/**
 * The metrics port features call: records `value` (default 1) of a business figure, now. Each call is
 * one EMF line on stdout (Powertools' single-metric mode), written at once: nothing is buffered, so
 * nothing waits for the end of an invocation, and concurrent handlings in the local cloud never mix
 * their dimensions. The line carries the current handling's correlation id as metadata (not a dimension).
 * `POWERTOOLS_METRICS_DISABLED=true` turns the lines off (the test runs do).
 */
export const businessMetric = (name: BusinessMetricName, value = 1, dimensions: MetricDimensions = {}): void => {
  const single = metricsOf().singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  const ctx = currentTelemetry();
  if (ctx) single.addMetadata('correlationId', ctx.correlationId);
  single.addMetric(name, MetricUnit.Count, value);
};
