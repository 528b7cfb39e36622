import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

/** Resolves once something accepts TCP connections on the port, or rejects after `timeoutMs`. */
export const waitForPort = async (port: number, timeoutMs = 30_000, host = '127.0.0.1'): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1_000);
      socket.once('connect', () => done(true));
      socket.once('timeout', () => done(false));
      socket.once('error', () => done(false));
      socket.connect(port, host);
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`Nothing is listening on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** The process listening on a TCP port, when this machine lets us know (Linux `/proc`, same user or root). */
export interface PortHolder {
  pid: number;
  command: string;
}

const listeningInodes = (port: number): Set<string> => {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; st 0A is LISTEN; column 9 is the socket's inode.
      if (cols.length > 9 && cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && cols[9] !== '0') inodes.add(cols[9] as string);
    }
  }
  return inodes;
};

/** Which process listens on `port`, or undefined when it cannot be told (not Linux, another user's process). */
export const portHolder = (port: number): PortHolder | undefined => {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        let command = '';
        try {
          command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
        } catch {
          /* it exited meanwhile: the pid alone still helps */
        }
        return { pid: Number(pid), command };
      }
    }
  }
  return undefined;
};

/** A port the local cloud needs is taken. The message names the port, its holder if known, and what to do. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly service: string,
    readonly setting: string,
    readonly holder: PortHolder | undefined,
  ) {
    const by = holder ? ` by pid ${holder.pid}${holder.command ? ` (${holder.command.length > 200 ? `${holder.command.slice(0, 200)}…` : holder.command})` : ''}` : '';
    const leftover = holder?.command.includes('DynamoDBLocal.jar')
      ? ' It looks like a DynamoDB Local left behind by an earlier run.'
      : '';
    const stop = holder ? `stop it (kill ${holder.pid})` : `stop what holds it (\`lsof -i :${port}\` or \`ss -ltnp\` shows it)`;
    super(
      `Port ${port} (${service}) is already in use${by}.${leftover}\n` +
        `  Either ${stop}, or choose another port: ${setting}=<free port> npm start`,
    );
    this.name = 'PortInUseError';
  }
}

const canListen = (port: number, host: string): Promise<boolean> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });

/**
 * Refuses to go on when `port` is taken: without this, a client pointed at the port would silently
 * talk to whatever holds it (say, a DynamoDB Local left running with other data). Port 0 is always free.
 */
export const ensurePortFree = async (port: number, service: string, setting: string, host = '127.0.0.1'): Promise<void> => {
  if (port === 0) return;
  if (!(await canListen(port, host))) throw new PortInUseError(port, service, setting, portHolder(port));
};

/** The local cloud's three ports, each checked with the setting that moves it (before anything starts). */
export const ensureLocalCloudPortsFree = async (ports: { dynamodbPort: number; sesPort: number; apiPort: number }): Promise<void> => {
  await ensurePortFree(ports.dynamodbPort, 'DynamoDB Local', 'DYNAMODB_PORT');
  await ensurePortFree(ports.sesPort, 'SES local', 'SES_PORT');
  await ensurePortFree(ports.apiPort, 'the local API', 'PORT');
};
