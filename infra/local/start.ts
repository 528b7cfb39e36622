/**
 * `npm start`: the whole of Keiro on this machine, no AWS account needed.
 * Flags: --in-memory (no persistence), --time-scale <n> (waits run n times faster), --no-seed,
 * --verbose (the Lambdas' JSON log and EMF metric lines, as in AWS; also LOG_FORMAT=json; by default one
 * readable line per business event).
 * Ports: PORT (API, 3000), SES_PORT (8005), DYNAMODB_PORT (8000); 0 picks a free one. A taken port
 * stops the start at once (exit 1) with a message naming the port, its holder and what to do.
 * SES_ENDPOINT, DYNAMODB_ENDPOINT: use an SES / a DynamoDB already running (e.g. another SES local or
 * DynamoDB Local) instead of starting one.
 */
import { parseArgs } from 'node:util';
import { applyLogFormat, logFormatFrom } from './log-format.js';
import { keiroHome } from './paths.js';
import type { LocalCloud } from './local-cloud.js';
import { ensureLocalCloudPortsFree, PortInUseError } from './ports.js';
import { silenceSdkNodeVersionWarning } from './sdk-node-warning.js';
import { startBanner } from './start-banner.js';

silenceSdkNodeVersionWarning();

const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    'time-scale': { type: 'string', default: process.env.TIME_SCALE ?? '1' },
    'no-seed': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});

// Before the logger and the metrics are built (they are, when the local cloud is imported below).
const logFormat = logFormatFrom(values.verbose ?? false, process.env.LOG_FORMAT);
applyLogFormat(logFormat);

const port = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got ${raw}`);
  return n;
};

const timeScale = Number(values['time-scale']);
if (!Number.isFinite(timeScale) || timeScale <= 0) throw new Error('--time-scale must be a positive number');

const ports = { apiPort: port('PORT', 3000), sesPort: port('SES_PORT', 8005), dynamodbPort: port('DYNAMODB_PORT', 8000) };
const endpoint = (name: string): string | undefined => {
  const raw = process.env[name] || undefined;
  if (raw !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(raw)) throw new Error(`${name} must be an http(s) origin such as http://127.0.0.1:8000, got ${raw}`);
  return raw?.replace(/\/$/, '');
};
const sesEndpoint = endpoint('SES_ENDPOINT');
const dynamodbEndpoint = endpoint('DYNAMODB_ENDPOINT');
let cloud: LocalCloud;
try {
  // Checked before loading the rest (seconds of imports), so a taken port is reported at once.
  await ensureLocalCloudPortsFree(ports);
  const { startLocalCloud } = await import('./local-cloud.js');
  const { localServiceFactories } = await import('./services.js');
  const { businessLine } = await import('./events/business-lines.js');
  // The readable log: one line per business event, as the bus sees it.
  const printEvents = (router: { tap: (listener: (event: Parameters<typeof businessLine>[0]) => void) => unknown }) =>
    router.tap((event) => {
      const line = businessLine(event);
      if (line) console.log(line);
    });
  cloud = await startLocalCloud(
    {
      home: keiroHome(),
      inMemory: values['in-memory'] ?? false,
      ...ports,
      ...(sesEndpoint ? { sesEndpoint } : {}),
      ...(dynamodbEndpoint ? { dynamodbEndpoint } : {}),
      tableName: process.env.TABLE_NAME ?? 'keiro',
      region: process.env.AWS_REGION ?? 'ap-northeast-1',
      timeScale,
      seed: !values['no-seed'],
    },
    localServiceFactories(logFormat === 'text' ? { onRouter: printEvents } : {}),
  );
  // The banner comes after the start-up's own lines (the seed's events), not buried in them.
  await cloud.settled();
} catch (error) {
  if (!(error instanceof PortInUseError)) throw error;
  // A taken port is the user's to fix, not a crash: say what and how, no stack trace, exit non-zero.
  console.error(`Keiro cannot start: ${error.message}`);
  process.exit(1);
}

console.log(
  startBanner({
    apiUrl: cloud.apiUrl,
    sesUrl: cloud.sesUrl,
    dynamodb: `${cloud.dynamodbEndpoint}   (table ${cloud.deps.tableName})`,
    where: dynamodbEndpoint ? `table in the DynamoDB at ${dynamodbEndpoint}, local state in ${keiroHome()}` : values['in-memory'] ? 'in memory: nothing is kept after you stop' : `data in ${keiroHome()}`,
    seed: cloud.seedResult,
    timeScale,
    localTime: cloud.deps.clock(),
    users: (await import('./seed-users.js')).SEED_USERS,
    logFormat,
    env: process.env,
  }),
);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping (letting in-flight requests finish)…`);
  await cloud.stop();
  console.log('Stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
