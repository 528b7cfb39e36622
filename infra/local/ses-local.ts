import type { Server } from 'node:http';
import { waitForPort } from './ports.js';

export interface SesLocal {
  endpoint: string;
  port: number;
  stop: () => Promise<void>;
}

/** Starts aws-ses-v2-local in this process: the SES v2 API, its mail viewer, and GET /store of sent mail. */
export const startSesLocal = async (options: { port: number; host?: string }): Promise<SesLocal> => {
  const host = options.host ?? '127.0.0.1';
  const mod = (await import('aws-ses-v2-local')) as unknown as {
    default?: (o: { host: string; port: number }) => Promise<Server> | Server;
  };
  const start = (mod.default ?? mod) as unknown as (o: { host: string; port: number }) => Promise<Server> | Server;
  const server = await start({ host, port: options.port });
  await waitForPort(options.port, 10_000, host);
  return {
    port: options.port,
    endpoint: `http://${host}:${options.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (server && typeof server.close === 'function') {
          server.closeAllConnections?.();
          server.close(() => resolve());
        } else resolve();
      }),
  };
};

export interface StoredMail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** Reads back what SES local has "sent"; `since` (epoch seconds of its `at`) keeps only mail sent then or later. */
export const readSentMail = async (sesEndpoint: string, since?: number): Promise<StoredMail[]> => {
  const res = await fetch(`${sesEndpoint}/store${since === undefined ? '' : `?since=${since}`}`);
  if (!res.ok) throw new Error(`SES local store answered ${res.status}`);
  const body = (await res.json()) as { emails: StoredMail[] };
  return body.emails;
};
