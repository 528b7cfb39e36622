import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/ports.js';

/**
 * `npm start` as a process: exactly what `npm start -- --in-memory --no-seed` runs (package.json:
 * `node --import tsx infra/local/start.ts`, one node process), on ports chosen here.
 */
const repoRoot = resolve(import.meta.dirname, '../..');
const startScript = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const startProcess = (env: Record<string, string>): Started => {
  // `npm start` itself would add npm and a shell in front: the node process is what matters here.
  expect(startScript[0]).toBe('node');
  const child = spawn(process.execPath, [...startScript.slice(1), '--in-memory', '--no-seed'], {
    cwd: repoRoot,
    env: { ...process.env, KEIRO_HOME: mkdtempSync(join(tmpdir(), 'keiro-start-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
};

/** Waits (bounded) for `check` to hold, polling every 200 ms. */
const waitFor = async (what: string, check: () => boolean, attempts: number): Promise<void> => {
  for (let i = 0; i < attempts; i += 1) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}`);
};

const cmdline = (pid: string): string[] => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
};

/** Live (not zombie) processes running DynamoDB Local with `-port <port>`: its JVM and the watchdog around it. */
const dynamoDbLocalOn = (port: number): Array<{ pid: number; program: string }> =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      const args = cmdline(pid);
      const at = args.indexOf('-port');
      return args.some((a) => a.endsWith('DynamoDBLocal.jar')) && at >= 0 && args[at + 1] === String(port);
    })
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
      } catch {
        return false;
      }
    })
    .map((pid) => ({ pid: Number(pid), program: cmdline(pid)[0] ?? '' }));

const listenOn = (): Promise<{ server: Server; port: number }> =>
  new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      done({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });

describe.runIf(process.platform === 'linux')('npm start as a process', () => {
  it('leaves no DynamoDB Local behind when its node process is killed with SIGKILL', { timeout: 180_000 }, async () => {
    const dynamodbPort = await freePort();
    const started = startProcess({ PORT: '0', SES_PORT: String(await freePort()), DYNAMODB_PORT: String(dynamodbPort) });
    await waitFor('npm start to be ready', () => started.stdout().includes('Keiro is running locally') || started.child.exitCode !== null, 600);
    expect(started.stdout(), started.stderr()).toContain('Keiro is running locally');
    expect(dynamoDbLocalOn(dynamodbPort).filter((p) => p.program.endsWith('java'))).toHaveLength(1);
    // The SDK's Node-version warning is silenced on Node 20, where we run on purpose; nothing else is.
    expect(started.stderr()).not.toContain('NodeVersionSupportWarning');

    started.child.kill('SIGKILL');
    expect((await started.exited).signal).toBe('SIGKILL');
    // The watchdog notices within a second and stops Java (SIGTERM, SIGKILL after 10 s).
    await waitFor('DynamoDB Local to exit', () => dynamoDbLocalOn(dynamodbPort).length === 0, 150);
    expect(dynamoDbLocalOn(dynamodbPort)).toEqual([]);
  });

  it.each([
    ['DYNAMODB_PORT', 'DynamoDB Local'],
    ['SES_PORT', 'SES local'],
    ['PORT', 'the local API'],
  ])('refuses to start, exit 1, when %s is taken, naming the port, its holder and what to do', { timeout: 60_000 }, async (setting, service) => {
    const { server, port } = await listenOn();
    try {
      const ports: Record<string, string> = { PORT: '0', SES_PORT: '0', DYNAMODB_PORT: '0' };
      ports[setting] = String(port);
      const started = startProcess(ports);
      await waitFor('npm start to give up', () => started.child.exitCode !== null, 250);
      expect((await started.exited).code).toBe(1);
      const message = started.stderr();
      expect(message).toContain(`Port ${port} (${service}) is already in use by pid ${process.pid}`);
      expect(message).toContain(`${setting}=<free port> npm start`);
      expect(message).not.toMatch(/\n\s+at /); // a message, not a stack trace
      expect(started.stdout()).not.toContain('Keiro is running locally');
    } finally {
      server.close();
    }
  });
});
