import * as z from 'zod';
import { decideOpsAdmin } from '../../shared/domain/access/index.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { ok, problems } from '../../shared/http/common-schemas.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { NotFound } from '../../shared/domain/errors.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { route } from '../../shared/http/route-spec.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

/**
 * Dev-only route of the system area: served by the local API only (not in functions/routes.ts, which CDK
 * deploys), and a 404 wherever the clock cannot change (`deps.setTimeScale` absent).
 */
export const TimeScaleBody = lazySchema(() => z.strictObject({
  /** Business seconds per wall-clock second: 1 is real time (the slowest: a wait must end within a node timer's reach), 3600 an hour a second. */
  timeScale: z.number().min(1).max(10_000_000),
}));
export type TimeScaleBody = z.infer<typeof TimeScaleBody>;

export const TimeScaleAnswer = lazySchema(() => z.object({ timeScale: z.number().positive(), now: z.iso.datetime() }));
export type TimeScaleAnswer = z.infer<typeof TimeScaleAnswer>;

export const systemDevRoutes = {
  devTimeScale: route({
    area: 'system',
    auth: 'jwt',
    tags: ['Development'],
    operationId: 'devTimeScale',
    method: 'PUT',
    path: '/v1/dev/time-scale',
    summary: "Local only: run the cloud's business time this many times faster from now on (org admin); it never goes back",
    body: TimeScaleBody,
    responses: { 200: ok(TimeScaleAnswer), ...problems(400, 401, 403, 404) },
  }),
};

/**
 * Change the local cloud's time scale.
 * 1. Local cloud and org admin only (404 / 403).
 * 2. Re-anchor the clock at the current business time with the new scale (kept across restarts, as a
 *    start with `--time-scale` would); the state-machine runner's waits re-reckon their wall time.
 * 3. Answer the scale in force and the cloud's time.
 */
export const devTimeScaleOperation = implement(systemDevRoutes.devTimeScale, async (req, deps) => {
  const setTimeScale = deps.setTimeScale;
  if (!setTimeScale) throw new NotFound('No such route');
  enforce(decideOpsAdmin(await loadPrincipal(deps, requireAuth(req))));
  setTimeScale(req.body.timeScale);
  return json(200, { timeScale: deps.timeScale?.() ?? req.body.timeScale, now: deps.clock().toISOString() } satisfies TimeScaleAnswer);
});

export const systemDevOperations = [devTimeScaleOperation];
