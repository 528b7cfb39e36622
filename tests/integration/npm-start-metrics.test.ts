import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeys, signToken } from '../../infra/local/auth-keys.js';
import { freePort } from '../../infra/local/ports.js';

/**
 * `npm start -- --verbose` prints the business metrics as EMF lines (the same JSON CloudWatch reads in
 * AWS) and a log line per request with its correlation id, on its stdout, as the handlings happen.
 * (Without --verbose it prints readable lines instead: npm-start-output.test.ts.)
 */
const repoRoot = resolve(import.meta.dirname, '../..');
const startScript = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');

let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const waitFor = async <T>(what: string, check: () => T | undefined, attempts: number): Promise<T> => {
  for (let i = 0; i < attempts; i += 1) {
    const found = check();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}`);
};

describe('npm start', () => {
  it('with --verbose, prints a metric line and a request line with the correlation id when a record is created', { timeout: 120_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'keiro-start-metrics-'));
    const env: NodeJS.ProcessEnv = { ...process.env, KEIRO_HOME: home, PORT: '0', SES_PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()) };
    // As a person runs it: the test run's quiet settings (vitest.config.ts) do not apply.
    delete env.POWERTOOLS_METRICS_DISABLED;
    delete env.POWERTOOLS_LOG_LEVEL;
    child = spawn(process.execPath, [...startScript.slice(1), '--in-memory', '--verbose'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const apiUrl = await waitFor('the API URL', () => /API\s+(http:\/\/\S+)\/v1/.exec(out)?.[1], 400);

    const token = await signToken(await loadOrCreateKeys(home), { sub: 'u-agent', email: 'u-agent@keiro.example', groups: [] });
    const res = await fetch(`${apiUrl}/v1/records/Leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-correlation-id': 'corr-npm-start' },
      body: JSON.stringify({ fields: { lastName: 'Tanaka', leadStatus: 'New' } }),
    });
    expect(res.status).toBe(201);

    const lines = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
    const metric = await waitFor('the RecordsCreated metric line', () => lines().find((l) => l.RecordsCreated === 1 && l.correlationId === 'corr-npm-start'), 100);
    expect(metric).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: 'Keiro', Metrics: [{ Name: 'RecordsCreated', Unit: 'Count' }] }] }, module: 'Leads', correlationId: 'corr-npm-start' });
    expect(lines().find((l) => l.message === 'Request handled' && l.routeKey === 'POST /v1/records/{module}')).toMatchObject({ correlationId: 'corr-npm-start', status: 201, userId: 'u-agent' });
    expect(out).not.toContain('Tanaka');
    child.kill('SIGINT');
    await new Promise((done) => child?.once('exit', done));
  });
});
