import type { LocalHandler } from '../../../infra/local/sfn/index.js';

class TransientError extends Error {
  override name = 'Transient';
}
class BoomError extends Error {
  override name = 'Boom';
}

/**
 * Local handlers for the fixture workflow, keyed by Task state name, with call counts.
 * `flakyFailures`: how many times CallFlaky throws `Transient` before it succeeds.
 */
export const fixtureHandlers = (opts: { flakyFailures?: number } = {}) => {
  const calls = { check: 0, flaky: 0, fragile: 0 };
  let failuresLeft = opts.flakyFailures ?? 2;
  const handlers: Record<string, LocalHandler> = {
    Check: async (input) => {
      calls.check++;
      return { route: (input as { route?: string }).route ?? 'done' };
    },
    CallFlaky: async () => {
      calls.flaky++;
      if (failuresLeft-- > 0) throw new TransientError('not yet');
      return 'flaky ok';
    },
    CallFragile: async () => {
      calls.fragile++;
      throw new BoomError('fragile always fails');
    },
  };
  return { calls, handlers };
};

/** The same handlers keyed by the Lambdas' logical ids instead of state names. */
export const byLogicalId = (
  handlers: Record<string, LocalHandler>,
  ids: { check: string; flaky: string; fragile: string },
): Record<string, LocalHandler> => ({
  [ids.check]: handlers.Check as LocalHandler,
  [ids.flaky]: handlers.CallFlaky as LocalHandler,
  [ids.fragile]: handlers.CallFragile as LocalHandler,
});
