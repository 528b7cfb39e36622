import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { createSesClient } from '../../shared/adapters/deps.js';
import { sesEndpoint } from './local-cloud.js';

/** What SES answers a SendEmail that a fault applies to (status and error type as SES v2 sends them). */
export const SES_FAULTS = {
  /** "Slow down": the account's send rate is exceeded (retryable). */
  throttle: { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
  /** SES is failing (retryable: the SDK and Keiro retry). */
  down: { status: 503, type: 'ServiceUnavailable', message: 'Service unavailable.' },
  /** SES refuses this message for good (not retryable: e.g. a rejected address). */
  reject: { status: 400, type: 'MessageRejected', message: 'Email address is not verified.' },
} as const;
export type SesFaultKind = keyof typeof SES_FAULTS;

/** One injected fault: `kind` for the next `times` matching sends (Infinity: until cleared), optionally only for some recipients. */
export interface SesFault {
  kind: SesFaultKind;
  times: number;
  /** Only sends to one of these addresses (lower case); absent: every send. */
  to?: readonly string[];
}

export interface SesFaultProxy {
  endpoint: string;
  /** An SES v2 client exactly as the product builds one (SDK retries included), pointed at the proxy. */
  client: () => SESv2Client;
  /** Adds a fault; faults are consulted in the order they were added. */
  inject: (fault: SesFault) => void;
  clear: () => void;
  /** Every SendEmail the proxy saw: recipients and what it answered. */
  sends: Array<{ to: string[]; answered: SesFaultKind | 'passed' }>;
  stop: () => Promise<void>;
}

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const recipientsOf = (body: Buffer): string[] => {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { Destination?: { ToAddresses?: string[] } };
    return (parsed.Destination?.ToAddresses ?? []).map((a) => a.toLowerCase());
  } catch {
    return [];
  }
};

/**
 * SES with faults, for tests: a loopback HTTP server in front of the run's SES local that answers a
 * SendEmail with throttling, an outage or a rejection while a fault applies, and otherwise forwards the
 * request unchanged to SES local (which then stores the mail as sent). The product talks to it through
 * a real SESv2 client, so its SDK retries, backoff and error classes are the ones it has in AWS.
 */
export const startSesFaultProxy = async (target: string = sesEndpoint()): Promise<SesFaultProxy> => {
  const faults: SesFault[] = [];
  const sends: SesFaultProxy['sends'] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const isSend = req.method === 'POST' && (req.url ?? '').startsWith('/v2/email/outbound-emails');
      if (isSend) {
        const to = recipientsOf(body);
        const fault = faults.find((f) => f.times > 0 && (!f.to || to.some((a) => f.to?.includes(a))));
        if (fault) {
          fault.times -= 1;
          sends.push({ to, answered: fault.kind });
          const answer = SES_FAULTS[fault.kind];
          res.writeHead(answer.status, { 'content-type': 'application/json', 'x-amzn-errortype': answer.type, 'x-amzn-requestid': `fault-${sends.length}` });
          res.end(JSON.stringify({ message: answer.message }));
          return;
        }
        sends.push({ to, answered: 'passed' });
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      const forwarded = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body.length > 0 ? { body: new Uint8Array(body) } : {}) });
      const answer = Buffer.from(await forwarded.arrayBuffer());
      res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' });
      res.end(answer);
    })().catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`SES fault proxy: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    client: () => createSesClient('ap-northeast-1', endpoint),
    inject: (fault) => void faults.push({ ...fault, ...(fault.to ? { to: fault.to.map((a) => a.toLowerCase()) } : {}) }),
    clear: () => void faults.splice(0),
    sends,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
