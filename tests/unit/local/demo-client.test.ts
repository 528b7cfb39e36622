import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoClient } from '../../../infra/local/demo/client.js';
import { runStory, StepFailed } from '../../../infra/local/demo/story.js';

/** A stand-in for a cloud that is up but not seeded, with an SES store the test fills. */
let server: Server;
let url = '';
const store: Array<{ messageId: string; subject: string; destination: { to: string[] } }> = [];
/** The X-Correlation-Id of each request the stand-in answered (undefined when none was sent). */
const correlationIds: Array<string | undefined> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    correlationIds.push(req.headers['x-correlation-id'] as string | undefined);
    res.setHeader('content-type', 'application/json');
    if (req.url === '/store') return res.end(JSON.stringify({ emails: store }));
    if (req.url?.startsWith('/v1/records/Leads/nope')) {
      res.statusCode = 404;
      return res.end(JSON.stringify({ status: 404, detail: 'No such record' }));
    }
    return res.end(JSON.stringify({ items: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const target = () => ({ baseUrl: url, sesEndpoint: url, tokenFor: async (u: string) => `token-of-${u}`, timeScale: 3600, eventWaitMs: 300 });

describe('the demo story and its client', () => {
  it("tags a poll attempt's calls with a correlation id of their own and names each attempt that found nothing; other calls carry none", async () => {
    const missed: string[] = [];
    const api = new DemoClient({ ...target(), onPollMissed: (id) => void missed.push(id) });
    correlationIds.length = 0;
    let attempts = 0;
    const found = await api.until('the third answer', async () => {
      await api.call('u-agent', 'GET', '/v1/tasks');
      attempts += 1;
      return attempts === 3 && 'found';
    }, 60_000);
    await api.call('u-agent', 'GET', '/v1/tasks');
    expect(found).toBe('found');
    expect(correlationIds).toHaveLength(4);
    expect(correlationIds.slice(0, 3).every((id) => /^poll-[0-9a-f-]{36}$/.test(id ?? ''))).toBe(true);
    expect(new Set(correlationIds.slice(0, 3)).size).toBe(3);
    expect(missed).toEqual(correlationIds.slice(0, 2));
    expect(correlationIds[3]).toBeUndefined();
  });

  it('fails at the step that did not happen, naming it: an unseeded cloud has no wizard "New lead"', async () => {
    const failure = await runStory(target()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StepFailed);
    expect((failure as StepFailed).step).toBe("0. Find the demo's definitions");
    expect((failure as StepFailed).message).toContain('no wizards named "New lead": is the cloud seeded');
  });

  it('reports an unexpected answer with its status and detail, and a bounded wait that ran out', async () => {
    const api = new DemoClient(target());
    api.enter('3. Something');
    await expect(api.expect(200, 'u-agent', 'GET', '/v1/records/Leads/nope')).rejects.toThrow(/^Step "3\. Something": u-agent GET \/v1\/records\/Leads\/nope answered 404, expected 200: .*No such record/);
    await expect(api.until('the impossible', async () => undefined, 50)).rejects.toThrow('Step "3. Something": the impossible did not happen within 0.1 s');
    expect(api.afterSimulated(2 * 86_400_000)).toBe(48_000 + 300);
  });

  it('matches each email once, and never one that was sent before the story began', async () => {
    store.push({ messageId: 'old', subject: 'Hello', destination: { to: ['a@example.jp'] } });
    const api = new DemoClient(target());
    await api.ignoreMailSoFar();
    store.push({ messageId: 'new', subject: 'Hello', destination: { to: ['A@Example.jp'] } });
    expect((await api.mail('a@example.jp', 'Hello')).messageId).toBe('new');
    await expect(api.mail('a@example.jp', 'Hello', 50)).rejects.toThrow('an email "Hello" to a@example.jp did not happen');
  });
});
