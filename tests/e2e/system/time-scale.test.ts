import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClock, type LocalClock } from '../../../infra/local/clock.js';
import { DEMO_TIME_SCALE, demoTime, DemoTimeUnavailable } from '../../../infra/local/demo/time-scale.js';
import { startE2eApi, type E2eApi } from '../../support/e2e.js';

/**
 * A plain `npm start` runs in real time; `npm run demo` reads the cloud's scale and, as org admin, asks the
 * local cloud to run fast while the story plays (`PUT /v1/dev/time-scale`), then puts it back.
 */
describe("the cloud's time scale, as the demo meets it", () => {
  let clock: LocalClock;
  let api: E2eApi;
  let deployed: E2eApi;
  beforeAll(async () => {
    clock = localClock({ home: mkdtempSync(join(tmpdir(), 'keiro-time-')), inMemory: false, timeScale: 1 });
    api = await startE2eApi({ devOnlyRoutes: true, deps: { clock: clock.now, timeScale: clock.timeScale, setTimeScale: clock.setTimeScale } });
    // The route table CDK deploys: no dev-only routes, and a clock that cannot change.
    deployed = await startE2eApi({ seed: false });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await deployed?.close();
  });

  it('speeds a real-time cloud up for the story and puts it back, its clock never going back', async () => {
    expect((await api.call(null, 'GET', '/v1/health')).body).toEqual({ status: 'ok', timeScale: 1 });
    const before = clock.now().getTime();
    const time = await demoTime(api.baseUrl, () => api.tokenFor('u-admin'));
    expect(time).toMatchObject({ timeScale: DEMO_TIME_SCALE, changedFrom: 1 });
    expect((await api.call(null, 'GET', '/v1/health')).body).toEqual({ status: 'ok', timeScale: DEMO_TIME_SCALE });
    await new Promise((r) => setTimeout(r, 50));
    await time.restore();
    expect((await api.call(null, 'GET', '/v1/health')).body).toEqual({ status: 'ok', timeScale: 1 });
    // 50 ms at 3600× is three minutes of the cloud's time, kept.
    expect(clock.now().getTime() - before).toBeGreaterThanOrEqual(50 * DEMO_TIME_SCALE);
  });

  it('leaves a cloud that is fast enough alone', async () => {
    clock.setTimeScale(86_400);
    const time = await demoTime(api.baseUrl, () => api.tokenFor('u-admin'));
    expect(time.timeScale).toBe(86_400);
    expect(time.changedFrom).toBeUndefined();
    await time.restore();
    expect(clock.timeScale()).toBe(86_400);
    clock.setTimeScale(1);
  });

  it('is for org admins, with a sane number, and says the scale in force and the time', async () => {
    expect((await api.call('u-agent', 'PUT', '/v1/dev/time-scale', { body: { timeScale: 3600 } })).status).toBe(403);
    expect((await api.call(null, 'PUT', '/v1/dev/time-scale', { body: { timeScale: 3600 } })).status).toBe(401);
    for (const timeScale of [0, 0.5, -1, 'fast', null, '3600', 1e12, [3600]]) {
      const refused = await api.call('u-admin', 'PUT', '/v1/dev/time-scale', { body: { timeScale } });
      expect(refused.status, String(timeScale)).toBe(400);
      expect(refused.body.errors[0].path).toBe('timeScale');
    }
    expect((await api.call('u-admin', 'PUT', '/v1/dev/time-scale', { body: { timeScale: 2, extra: true } })).status).toBe(400);
    expect(clock.timeScale()).toBe(1);
    const ok = await api.call('u-admin', 'PUT', '/v1/dev/time-scale', { body: { timeScale: 2 } });
    expect(ok.status).toBe(200);
    expect(ok.body.timeScale).toBe(2);
    expect(Date.parse(ok.body.now)).toBeGreaterThan(0);
    clock.setTimeScale(1);
  });

  it('a cloud that cannot change pace fails at once with the command to run instead', async () => {
    expect((await deployed.call('u-admin', 'PUT', '/v1/dev/time-scale', { body: { timeScale: 3600 } })).status).toBe(404);
    const refused = demoTime(deployed.baseUrl, () => deployed.tokenFor('u-admin'));
    await expect(refused).rejects.toBeInstanceOf(DemoTimeUnavailable);
    await expect(refused).rejects.toThrow(`npm start -- --time-scale ${DEMO_TIME_SCALE}`);
  });
});
