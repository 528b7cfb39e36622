import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The one Powertools Tracer of the process (X-Ray). It is active only inside Lambda (the functions and
 * state machines run with active tracing, see infra/constructs); locally and in tests every call is a
 * no-op, so the same code runs everywhere.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'keiro' });

/** An AWS SDK v3 client whose calls appear as X-Ray subsegments (DynamoDB, SES, EventBridge, Step Functions). */
export const traced = <T>(client: T): T => tracer.captureAWSv3Client(client);
