import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_MAX_BODY_BYTES } from '../../../infra/local/api-server.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * Bodies over Lambda's 6 MB request payload limit: the local API answers 413 problem+json after
 * reading (and discarding) the rest of the body, so the client reads the answer instead of a reset
 * connection, and nothing is written.
 */
let api: E2eApi;
beforeAll(async () => {
  api = await startE2eApi();
});
afterAll(async () => {
  await api?.close();
});

const MB = 1024 * 1024;

/** A JSON create body of exactly `bytes` bytes (the padding is a long description). */
const leadBody = (lastName: string, bytes: number): string => {
  const head = `{"fields":{"lastName":"${lastName}","description":"`;
  const tail = '"}}';
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
};

/** Sends `total` bytes through a raw HTTP request in 64 KB writes (honouring backpressure), then reads the answer. */
const streamBody = (path: string, token: string, total: number): Promise<{ status: number; contentType: string; body: string }> =>
  new Promise((resolve, reject) => {
    const url = new URL(path, api.baseUrl);
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': total } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const write = () => {
      while (sent < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });

/** A POST that waits for `100 Continue` before sending its body: a lead padded to `bytes` (0: a small valid lead). */
const askFirst = async (bytes: number): Promise<{ status: number; told: boolean; body: string }> => {
  const url = new URL('/v1/records/Leads', api.baseUrl);
  const body = Buffer.from(bytes === 0 ? JSON.stringify({ fields: { lastName: 'AskedFirst' } }) : leadBody('AskedFirst', bytes));
  const token = await api.tokenFor('u-agent');
  return new Promise((done, fail) => {
    let told = false;
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length, expect: '100-continue' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, told, body: text }));
      },
    );
    req.on('continue', () => {
      told = true;
      req.end(body);
    });
    req.on('error', fail);
    req.flushHeaders();
  });
};

/**
 * A POST with `Expect: 100-continue` and a 7 MB Content-Length that does not wait to be told: it sends
 * the whole body at once, as many clients do. The answer must still be readable (no reset).
 */
const sendAnyway = async (): Promise<{ status: number; body: string } | { error: string }> => {
  const url = new URL('/v1/records/Leads', api.baseUrl);
  const body = Buffer.from(leadBody('SentAnyway', 7 * MB));
  const token = await api.tokenFor('u-agent');
  return new Promise((done) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length, expect: '100-continue' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
        res.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => done({ error: error.code ?? error.message }));
    req.end(body);
  });
};

/**
 * The same request from a client that sends everything first and reads only then (as curl and Python
 * clients do once they stop waiting for `100 Continue`): over a raw socket, so nothing reads early.
 * Before the lingering close, the server closed with the body unread and this client got ECONNRESET.
 */
const sendThenRead = async (): Promise<string> => {
  const url = new URL(api.baseUrl);
  const token = await api.tokenFor('u-agent');
  const size = 7 * MB;
  return new Promise((done) => {
    const socket = connect(Number(url.port), url.hostname);
    let text = '';
    socket.pause();
    socket.on('error', (error: NodeJS.ErrnoException) => done(`error ${error.code ?? error.message}`));
    socket.write(`POST /v1/records/Leads HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\nExpect: 100-continue\r\n\r\n`);
    socket.write(Buffer.from(leadBody('SentThenRead', size)), () => {
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => done(text));
      socket.resume();
    });
  });
};

describe('bodies over the 6 MB limit', () => {
  it('a 7 MB body sent with fetch gets 413 problem+json, and nothing is created', async () => {
    const token = await api.tokenFor('u-admin');
    const res = await fetch(`${api.baseUrl}/v1/records/Leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: leadBody('Oversized7', 7 * MB),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { status: number; title: string; detail: string };
    expect(problem).toMatchObject({ status: 413, title: 'Payload Too Large' });
    expect(problem.detail).toContain(String(LAMBDA_MAX_BODY_BYTES));

    const list = await api.call<{ items: unknown[] }>('u-admin', 'GET', '/v1/records/Leads?filter[lastName]=Oversized7');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  it('a 7 MB body streamed over a raw HTTP request gets 413 problem+json (read, not reset)', async () => {
    const answer = await streamBody('/v1/records/Leads', await api.tokenFor('u-agent'), 7 * MB);
    expect(answer.status).toBe(413);
    expect(answer.contentType).toContain('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 413 });
  });

  it('the server keeps serving after refusing, and a body of exactly 6 MB is not refused for its size', async () => {
    for (let i = 0; i < 2; i += 1) {
      const refused = await streamBody('/v1/records/Leads', await api.tokenFor('u-agent'), LAMBDA_MAX_BODY_BYTES + 1);
      expect(refused.status).toBe(413);
    }
    const atLimit = await fetch(`${api.baseUrl}/v1/records/Leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await api.tokenFor('u-agent')}`, 'content-type': 'application/json' },
      body: leadBody('AtTheLimit', LAMBDA_MAX_BODY_BYTES),
    });
    // Read by the handler: a description this long is its to refuse (a 4xx with field paths), never 413 or 5xx.
    expect(atLimit.status).not.toBe(413);
    expect(atLimit.status).toBeLessThan(500);
    await atLimit.body?.cancel();
    expect((await api.call('u-agent', 'GET', '/v1/health')).status).toBe(200);
  });

  it('a client that sends `Expect: 100-continue` with a 7 MB Content-Length gets 413 before sending the body; a small one is told to go on', async () => {
    const refused = await askFirst(7 * MB);
    expect(refused).toMatchObject({ status: 413, told: false });
    expect(JSON.parse(refused.body)).toMatchObject({ status: 413 });
    const small = await askFirst(0);
    expect(small).toMatchObject({ status: 201, told: true });
  });

  it('a client that sends `Expect: 100-continue` with a 7 MB Content-Length and the body anyway reads the 413, 10 of 10 times (no reset)', async () => {
    const answers = [];
    for (let i = 0; i < 10; i += 1) answers.push(await sendAnyway());
    expect(answers.map((a) => ('status' in a ? a.status : a.error))).toEqual(Array(10).fill(413));
    for (const a of answers) expect(JSON.parse((a as { body: string }).body)).toMatchObject({ status: 413, title: 'Payload Too Large' });
    expect((await api.call('u-agent', 'GET', '/v1/health')).status).toBe(200);
  });

  it('a client that sends the whole body before reading reads the 413 and a clean close, 10 of 10 times', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 10; i += 1) answers.push(await sendThenRead());
    expect(answers.map((a) => a.split('\r\n')[0])).toEqual(Array(10).fill('HTTP/1.1 413 Payload Too Large'));
    for (const a of answers) {
      expect(a.toLowerCase()).toContain('connection: close');
      expect(JSON.parse(a.slice(a.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 413 });
    }
  });

  it('an anonymous 7 MB body gets its 401, readable too', async () => {
    const res = await fetch(`${api.baseUrl}/v1/records/Leads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: leadBody('Anonymous', 7 * MB) });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
