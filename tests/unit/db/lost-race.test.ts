import { describe, expect, it } from 'vitest';
import { LOST_RACE_ATTEMPTS, ProcessRaceLost, retryLostRace, retryProcessRace, retryWhileLost } from '../../../shared/db/lost-race.js';
import { ConditionFailed } from '../../../shared/db/transact.js';
import { Conflict } from '../../../shared/domain/errors.js';

class Lost extends Error {}
const isLost = (error: unknown) => error instanceof Lost;

/** An attempt that throws the given errors in turn, then returns `done`; records the attempt numbers it saw. */
const scripted = (errors: Error[]) => {
  const seen: number[] = [];
  const attempt = async (n: number) => {
    seen.push(n);
    const error = errors[n - 1];
    if (error) throw error;
    return 'done';
  };
  return { attempt, seen };
};

describe('retryWhileLost: the one lost-race loop', () => {
  it('retries a lost attempt and returns the result of the one that lands', async () => {
    const { attempt, seen } = scripted([new Lost('first'), new Lost('second')]);
    await expect(retryWhileLost(attempt, isLost)).resolves.toBe('done');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('throws the last lost error once the budget is spent, without another attempt', async () => {
    const errors = [new Lost('1'), new Lost('2'), new Lost('3'), new Lost('4')];
    const { attempt, seen } = scripted(errors);
    await expect(retryWhileLost(attempt, isLost, 3)).rejects.toBe(errors[2]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('rethrows an error that is not a lost race at once', async () => {
    const boom = new Error('boom');
    const { attempt, seen } = scripted([new Lost('lost'), boom]);
    await expect(retryWhileLost(attempt, isLost)).rejects.toBe(boom);
    expect(seen).toEqual([1, 2]);
  });

  it('ends with the error the lost-race rule throws (a caller\'s own 409 or 412), told the attempt', async () => {
    const answer = new Conflict('taken');
    const told: number[] = [];
    const { attempt } = scripted([new Lost('1'), new Lost('2')]);
    const rule = (error: unknown, n: number) => {
      told.push(n);
      if (n >= 2) throw answer;
      return isLost(error);
    };
    await expect(retryWhileLost(attempt, rule)).rejects.toBe(answer);
    expect(told).toEqual([1, 2]);
  });
});

describe('the two callers of the loop', () => {
  it('retryProcessRace runs a command again after ProcessRaceLost, and gives up after LOST_RACE_ATTEMPTS with it', async () => {
    let runs = 0;
    await expect(retryProcessRace(async () => (++runs < 3 ? Promise.reject(new ProcessRaceLost()) : runs))).resolves.toBe(3);
    runs = 0;
    await expect(retryProcessRace(async () => { runs++; throw new ProcessRaceLost(); })).rejects.toBeInstanceOf(ProcessRaceLost);
    expect(runs).toBe(LOST_RACE_ATTEMPTS);
  });

  it('retryLostRace re-reads after a failed condition, leaves the budget to onLost, and never retries another error', async () => {
    const reads: number[] = [];
    const result = await retryLostRace(
      async (n) => (reads.push(n), n),
      async (state) => {
        if (state < 3) throw new ConditionFailed([0]);
        return `wrote at ${state}`;
      },
      () => undefined,
    );
    expect(result).toBe('wrote at 3');
    expect(reads).toEqual([1, 2, 3]);

    const conflict = new Conflict('spent');
    await expect(
      retryLostRace(async (n) => n, async () => { throw new ConditionFailed([0]); }, (_e, n) => { if (n >= 2) throw conflict; }),
    ).rejects.toBe(conflict);
    const boom = new Error('boom');
    let writes = 0;
    await expect(retryLostRace(async () => 0, async () => { writes++; throw boom; }, () => undefined)).rejects.toBe(boom);
    expect(writes).toBe(1);
  });
});
