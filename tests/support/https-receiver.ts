import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ReceivedHook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface HttpsReceiver {
  url: string;
  /** The receiver's self-signed certificate (PEM), to trust in the webhook config. */
  ca: string;
  received: ReceivedHook[];
  /** Status codes to answer, in order; then 200. */
  answers: number[];
  close: () => Promise<void>;
}

/** A local https endpoint on a free loopback port with a fresh self-signed certificate (openssl). */
export const startHttpsReceiver = async (): Promise<HttpsReceiver> => {
  const dir = mkdtempSync(join(tmpdir(), 'keiro-hook-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const received: ReceivedHook[] = [];
  const answers: number[] = [];
  const server: Server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `https://localhost:${port}/hook`, ca: cert, received, answers, close: () => new Promise((r) => server.close(() => r())) };
};
