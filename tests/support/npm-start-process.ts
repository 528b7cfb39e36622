import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadOrCreateKeys, signToken, type LocalKeys } from '../../infra/local/auth-keys.js';
import { groupsFor } from '../../infra/local/seed-users.js';

/**
 * `npm start` as a real process that a test kills with `kill -9` of its whole process group and starts
 * again over the same data directory (`KEIRO_HOME`, a temp dir). It runs exactly what package.json's
 * `start` script runs, detached (its own process group: node, the watchdog and DynamoDB Local's JVM),
 * on ports the system chooses, with `--time-scale`. SES and DynamoDB are the test run's, outside the
 * group (`SES_ENDPOINT`, `DYNAMODB_ENDPOINT`): like AWS's, they do not die with Keiro's code, the mail
 * store survives the kills, and an acknowledged write stays written (DynamoDB Local killed with
 * `kill -9` loses writes it acknowledged in its last ~100 ms: tests/faults/README.md).
 */
export interface NpmStartProcess {
  home: string;
  /** Starts the process (it must not be running) and resolves once its banner is printed. */
  start: () => Promise<void>;
  /** `kill -9` of the whole process group; resolves once no process of the group is left. */
  kill: () => Promise<void>;
  /** Ends the process if it runs (SIGKILL of the group) and removes its data directory, for afterAll. */
  stop: () => Promise<void>;
  apiUrl: () => string;
  /** A document client on the DynamoDB it uses (for what the API does not show). */
  db: () => DynamoDBDocumentClient;
  call: <T = any>(userId: string, method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
  /** Everything the process printed (all runs), for failure messages. */
  output: () => string;
  /** The runs' banners' "State machines: resumed …" lines. */
  recoveries: () => string[];
}

const repoRoot = resolve(import.meta.dirname, '../..');
const startScript = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');

/** Live (not zombie) pids whose process group is `pgid`. */
export const processGroupMembers = (pgid: number): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        // Fields after "(comm)": state ppid pgrp …
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        return fields[0] !== 'Z' && Number(fields[2]) === pgid ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });

/** Live processes running DynamoDB Local on data under `dir` (its JVM and the watchdog around it). */
export const dynamoDbLocalsOn = (dir: string): number[] =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        return state !== 'Z' && args.some((a) => a.endsWith('DynamoDBLocal.jar')) && args.some((a) => a.startsWith(dir)) ? [Number(pid)] : [];
      } catch {
        return [];
      }
    });

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const npmStartProcess = (options: { timeScale: number; sesEndpoint: string; dynamodbEndpoint: string; tableName: string; env?: Record<string, string> }): NpmStartProcess => {
  const home = mkdtempSync(join(tmpdir(), 'keiro-kill-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let out = '';
  let api = '';
  let client: DynamoDBDocumentClient | undefined;
  let keys: LocalKeys | undefined;
  const tokens = new Map<string, string>();

  const start = async () => {
    if (child) throw new Error('npm start is already running');
    const runStart = out.length;
    const spawned = spawn(process.execPath, [...startScript.slice(1), '--time-scale', String(options.timeScale)], {
      cwd: repoRoot,
      env: { ...process.env, KEIRO_HOME: home, TABLE_NAME: options.tableName, PORT: '0', SES_ENDPOINT: options.sesEndpoint, DYNAMODB_ENDPOINT: options.dynamodbEndpoint, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal gives `npm start`: what `kill -9 -<pgid>` ends.
      detached: true,
    });
    child = spawned;
    exited = new Promise((done) => spawned.once('exit', () => done()));
    spawned.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    spawned.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    for (let i = 0; i < 900; i++) {
      const run = out.slice(runStart);
      const apiUrl = /API\s+(http:\/\/\S+)\/v1/.exec(run)?.[1];
      if (apiUrl) {
        api = apiUrl;
        keys ??= await loadOrCreateKeys(home);
        return;
      }
      if (spawned.exitCode !== null || spawned.signalCode !== null) break;
      await pause(200);
    }
    throw new Error(`npm start did not come up:\n${out.slice(runStart).slice(-4_000)}`);
  };

  const kill = async () => {
    const running = child;
    if (!running?.pid) throw new Error('npm start is not running');
    process.kill(-running.pid, 'SIGKILL');
    await exited;
    child = undefined;
    for (let i = 0; i < 100 && (processGroupMembers(running.pid).length > 0 || dynamoDbLocalsOn(home).length > 0); i++) await pause(100);
    const left = [...processGroupMembers(running.pid), ...dynamoDbLocalsOn(home)];
    if (left.length > 0) throw new Error(`kill -9 of process group ${running.pid} left processes behind: ${left.join(', ')}`);
  };

  return {
    home,
    start,
    kill,
    stop: async () => {
      if (child) await kill();
      client?.destroy();
      rmSync(home, { recursive: true, force: true });
    },
    apiUrl: () => api,
    db: () =>
      (client ??= DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1', endpoint: options.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }))),
    call: async (userId, method, path, body) => {
      if (!keys) throw new Error('npm start has not started');
      if (!tokens.has(userId)) tokens.set(userId, await signToken(keys, { sub: userId, email: `${userId}@keiro.example`, groups: groupsFor(userId) }));
      const res = await fetch(`${api}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens.get(userId) as string}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed as any };
    },
    output: () => out,
    recoveries: () => out.split('\n').filter((l) => l.startsWith('State machines: resumed')),
  };
};
