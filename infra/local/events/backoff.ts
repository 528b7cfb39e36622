/** How the local router retries a target, like an EventBridge rule's retry policy (but quicker). */
export interface RetryPolicy {
  /** Deliveries in all, the first included. */
  attempts: number;
  /** Wait before the first retry; each later wait doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

/** The waits between attempts: base, 2·base, 4·base … capped; one fewer than the attempts. */
export const backoffDelays = (policy: RetryPolicy): number[] =>
  Array.from({ length: Math.max(0, policy.attempts - 1) }, (_, i) => Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** i));

export const retryPolicy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => {
  const policy = { ...DEFAULT_RETRY, ...overrides };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) throw new Error(`retry attempts must be a positive integer, got ${policy.attempts}`);
  if (policy.baseDelayMs < 0 || policy.maxDelayMs < 0) throw new Error('retry delays must not be negative');
  return policy;
};
