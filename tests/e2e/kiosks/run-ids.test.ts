import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../../../shared/domain/kiosk/run.js';
import { saveFlow } from '../../../shared/db/screen-flows-repo.js';
import { UPDATE_TRAVEL_INFO_KIOSK, UPDATE_TRAVEL_INFO_KIOSK_ID } from '../../../infra/local/seed-kiosks.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * A run's id names its kiosk version only as a hint for the first read: a run saved under a plain id
 * (before ids named versions) and a run whose id names another kiosk are read by what the run item says.
 */
describe('kiosk run ids are hints, never trusted over the run', () => {
  let api: E2eApi;
  beforeAll(async () => {
    api = await startE2eApi();
  });
  afterAll(async () => api?.close());

  const saveRun = async (id: string) => {
    const now = api.deps.clock();
    await saveFlow(api.deps, {
      kind: 'kiosk',
      id,
      userId: 'u-agent',
      definitionId: UPDATE_TRAVEL_INFO_KIOSK_ID,
      definitionVersion: 1,
      status: 'active',
      state: startRun(UPDATE_TRAVEL_INFO_KIOSK),
      version: 1,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + 3600,
    });
    return id;
  };

  it('a new run names its kiosk version', async () => {
    const run = await api.call<any>('u-agent', 'POST', `/v1/kiosks/${UPDATE_TRAVEL_INFO_KIOSK_ID}/runs`);
    expect(run.status).toBe(201);
    expect(run.body.runId).toMatch(new RegExp(`^[0-9A-Z]{26}\\.${UPDATE_TRAVEL_INFO_KIOSK_ID}\\.${run.body.kioskVersion}$`));
  });

  it.each([
    ['a plain id (a run started before ids named versions)', () => api.deps.newId()],
    ['an id naming another kiosk', () => `${api.deps.newId()}.01JNOTAKIOSK00000000000000.1`],
    ['an id naming a version that was never saved', () => `${api.deps.newId()}.${UPDATE_TRAVEL_INFO_KIOSK_ID}.99`],
  ])('%s is read and answered by its own version', async (_what, newId) => {
    const runId = await saveRun(newId());
    const read = await api.call<any>('u-agent', 'GET', `/v1/kiosk-runs/${runId}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ runId, kioskId: UPDATE_TRAVEL_INFO_KIOSK_ID, kioskVersion: 1, screen: { id: 'customer-phone' } });
    const next = await api.call<any>('u-agent', 'POST', `/v1/kiosk-runs/${runId}/submit`, { body: { screenId: 'customer-phone', values: { phone: '090-1111-2222' } } });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.screen.id).toBe('pick-application');
    expect((await api.call<any>('u-manager', 'GET', `/v1/kiosk-runs/${runId}`)).status).toBe(404);
  });

  it('an id that names a kiosk but no saved run is 404, for its owner too', async () => {
    const runId = `${api.deps.newId()}.${UPDATE_TRAVEL_INFO_KIOSK_ID}.1`;
    expect((await api.call<any>('u-agent', 'GET', `/v1/kiosk-runs/${runId}`)).status).toBe(404);
    expect((await api.call<any>('u-agent', 'POST', `/v1/kiosk-runs/${runId}/submit`, { body: { screenId: 'customer-phone', values: { phone: '090-1111-2222' } } })).status).toBe(404);
  });
});
