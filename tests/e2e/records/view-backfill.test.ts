import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2eApi } from '../../support/e2e.js';
import { startE2eWithEvents, waitFor } from '../../support/events.js';

/**
 * PUT /v1/modules/{module} starts the view backfill through the outbox (module.updated → the
 * view-backfill subscription), and an admin follows it at GET /v1/modules/{module}/backfill.
 */
describe('views after a module change, over HTTP with the real outbox path', () => {
  let api: E2eApi;
  const name = `Tours${Math.random().toString(36).slice(2, 8).replace(/[^a-z]/g, 'x')}`;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ api, stop } = await startE2eWithEvents());
  });
  afterAll(async () => stop?.());

  it('records exist, a picklist is added: the backfill runs and the kanban counts every record', async () => {
    const fields = [
      { name: 'title', label: 'Title', type: 'text', required: true },
      { name: 'price', label: 'Price', type: 'currency', required: false },
    ];
    const created = await api.call('u-admin', 'POST', '/v1/modules', { body: { name, label: 'Tours', fields } });
    expect(created.status).toBe(201);
    expect((await api.call('u-admin', 'GET', `/v1/modules/${name}/backfill`)).body).toMatchObject({ generation: 1, status: 'done' });
    for (let i = 0; i < 7; i++) {
      expect((await api.call('u-agent', 'POST', `/v1/records/${name}`, { body: { fields: { title: `tour ${i}`, price: 1000 * (i + 1) } } })).status).toBe(201);
    }
    const put = await api.call('u-admin', 'PUT', `/v1/modules/${name}`, {
      body: { fields: [...fields, { name: 'season', label: 'Season', type: 'picklist', required: false, options: ['Spring', 'Autumn'] }] },
    });
    expect(put.status).toBe(200);
    const done = await waitFor(async () => {
      const res = await api.call('u-admin', 'GET', `/v1/modules/${name}/backfill`);
      return res.body.status === 'done' ? res.body : undefined;
    }, 'the backfill to finish', 20_000);
    expect(done).toMatchObject({ module: name, generation: 2, processed: 7, scanned: 7 });
    expect(done.finishedAt).toBeDefined();
    const chart = await api.call('u-agent', 'GET', `/v1/records/${name}/aggregate?groupBy=season&metric=sum:price`);
    expect(chart.status).toBe(200);
    expect(chart.body.total).toMatchObject({ count: 7, result: 28000 });
    const kanban = await api.call('u-agent', 'GET', `/v1/records/${name}/kanban?groupBy=season`);
    expect(kanban.status).toBe(200);
    expect(JSON.stringify(kanban.body)).toContain('"count":7');
    // Who may read the progress: those who may change the module.
    expect((await api.call('u-agent', 'GET', `/v1/modules/${name}/backfill`)).status).toBe(403);
    expect((await api.call('u-requester', 'GET', `/v1/modules/${name}/backfill`)).status).toBe(404);
  });
});
