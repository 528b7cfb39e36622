import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeys, signToken } from '../../infra/local/auth-keys.js';
import { freePort } from '../../infra/local/ports.js';

/**
 * What a person sees in the `npm start` terminal: the start-up's own lines (the seed's events), then the
 * banner with the console, the API reference, the mail viewer and the demo command, then one readable
 * line per business event; no JSON or EMF line unless asked for (--verbose).
 */
const repoRoot = resolve(import.meta.dirname, '../..');
const startScript = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');

let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const waitFor = async <T>(what: string, check: () => T | undefined, attempts: number, output: () => string): Promise<T> => {
  for (let i = 0; i < attempts; i += 1) {
    const found = check();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}:\n${output().slice(-3000)}`);
};

describe('npm start, as a person runs it', () => {
  it('prints the banner after the start-up, then one readable line per business event and no JSON', { timeout: 300_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'keiro-start-output-'));
    const env: NodeJS.ProcessEnv = { ...process.env, KEIRO_HOME: home, PORT: '0', SES_PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()) };
    // As a person runs it: the test run's quiet settings (vitest.config.ts) do not apply.
    delete env.POWERTOOLS_METRICS_DISABLED;
    delete env.POWERTOOLS_LOG_LEVEL;
    delete env.LOG_FORMAT;
    child = spawn(process.execPath, [...startScript.slice(1), '--in-memory'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const output = () => out;
    await waitFor('the banner', () => (out.includes('Ctrl+C stops everything.') ? true : undefined), 1_200, output);
    const apiUrl = /Console\s+(http:\/\/\S+)\/console/.exec(out)?.[1] as string;
    const sesPort = env.SES_PORT as string;

    const [startUp = '', banner = ''] = out.split('Keiro is running locally');
    // The seed's events were told before the banner, not after it.
    expect(startUp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}system created Leads \w+$/m);
    expect(startUp).toMatch(/journey "Travel customer journey" moved Leads \w+ into the journey at lead/);
    expect(banner).toContain(`API reference  ${apiUrl}/v1/docs`);
    expect(banner).toContain(`Mail viewer    http://127.0.0.1:${sesPort}`);
    expect(banner).toContain(`The demo, in another terminal:  PORT=${new URL(apiUrl).port} SES_PORT=${sesPort} KEIRO_HOME=${home} npm run demo`);

    // The front door answers where the banner says.
    const root = await fetch(`${apiUrl}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(((await (await fetch(`${apiUrl}/v1/health`)).json()) as { timeScale: number }).timeScale).toBe(1);

    const token = await signToken(await loadOrCreateKeys(home), { sub: 'u-agent', email: 'u-agent@keiro.example', groups: [] });
    const created = await fetch(`${apiUrl}/v1/records/Leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { lastName: 'Tanaka', email: 'tanaka.output@example.jp', leadStatus: 'New' } }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await waitFor('the readable line of the new lead', () => (out.includes(`u-agent created Leads ${id}`) ? true : undefined), 300, output);
    await waitFor('the cadence enrolling it', () => (new RegExp(`enrolled Leads ${id} in cadence "Travel inquiry follow-up"`).test(out) ? true : undefined), 300, output);

    expect(out.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
    expect(out).not.toMatch(/Tanaka|tanaka\.output/i);
    child.kill('SIGINT');
    await new Promise((done) => child?.once('exit', done));
  });
});
