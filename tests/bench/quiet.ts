/**
 * Imported first by run.ts, before any module builds a logger: the bench runs as the tests do, with no
 * EMF metric lines and only warnings and errors from the Powertools logger (thousands of lines would
 * bury the table), and without the AWS SDK's Node 20 warning (Lambda runs 22). Set POWERTOOLS_* to
 * override.
 */
import { silenceSdkNodeVersionWarning } from '../../infra/local/sdk-node-warning.js';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
silenceSdkNodeVersionWarning();
