import { describe, expect, it } from 'vitest';
import { countRoundTrips, tripLimit, tripSummary, type TripCall } from '../../bench/round-trips.js';
import { useMeteredApi } from '../../support/metered-api.js';

/**
 * Issue 17 §2: the commands, reads and consumers that meet their round-trip goal (≤ 3 per command,
 * 1 per read, ≤ 4 per event) keep meeting it. Counted with the bench's scenarios and meter (calls,
 * never time), in a warm container. `npm run bench` (BENCH_ONLY=trips) lists every one beside its goal,
 * those not yet within it too.
 */
const WITHIN_GOAL = ['transition', 'approve', 'reject', 'delegate', 'recall', 'review decision', 'wizard start', 'wizard screen submit', 'wizard finish', 'lead conversion', 'team request submit', 'team request update', 'enrollment', 'get record', 'get approval', 'approvals inbox', 'get team request', 'get kiosk run', 'get wizard session', 'get enrollment', 'process notifications (approval.requested)', 'workflow rule run (record.updated)', 'journey router (record.created)', 'kiosk start', 'kiosk submit (pick a record)', 'kiosk submit (update + notification)'];

describe('DynamoDB round trips of commands, reads and consumers (issue 17 §2)', () => {
  const metered = useMeteredApi();

  const call: TripCall = async (user, method, path, body) => {
    const res = await metered.api.call(user, method, path, body === undefined ? {} : { body });
    if (res.status >= 300) throw new Error(`${user} ${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  it('each stays within its goal', async () => {
    const counts = await countRoundTrips(call, metered.api.deps, metered.meter, (operation) => WITHIN_GOAL.includes(operation));
    expect(counts.map((c) => c.operation).sort()).toEqual([...WITHIN_GOAL].sort());
    const over = counts.filter((c) => c.calls > tripLimit(c.kind)).map((c) => `${c.operation}: ${tripSummary(c)} > ${tripLimit(c.kind)}`);
    expect(over).toEqual([]);
  });
});
