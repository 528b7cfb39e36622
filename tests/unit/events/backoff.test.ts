import { describe, expect, it } from 'vitest';
import { backoffDelays, DEFAULT_RETRY, retryPolicy } from '../../../infra/local/events/backoff.js';

describe('router retry schedule', () => {
  it('waits base, 2·base, 4·base … between attempts: one wait fewer than attempts', () => {
    expect(backoffDelays({ attempts: 4, baseDelayMs: 100, maxDelayMs: 10_000 })).toEqual([100, 200, 400]);
  });

  it('caps each wait at maxDelayMs', () => {
    expect(backoffDelays({ attempts: 6, baseDelayMs: 1_000, maxDelayMs: 5_000 })).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('does not wait when there is a single attempt', () => {
    expect(backoffDelays({ attempts: 1, baseDelayMs: 100, maxDelayMs: 100 })).toEqual([]);
  });

  it('defaults to 4 attempts from 200 ms, and refuses nonsense', () => {
    expect(retryPolicy()).toEqual(DEFAULT_RETRY);
    expect(backoffDelays(retryPolicy())).toEqual([200, 400, 800]);
    expect(() => retryPolicy({ attempts: 0 })).toThrow(/positive integer/);
    expect(() => retryPolicy({ baseDelayMs: -1 })).toThrow(/negative/);
  });
});
