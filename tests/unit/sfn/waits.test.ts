import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { localClock } from '../../../infra/local/clock.js';
import type { AslDefinition } from '../../../infra/local/sfn/asl.js';
import { MAX_WALL_WAIT_MS, SCALED_WAIT_RESOURCE, boundTimeouts, rewriteWaits, scaledWaitHandler, wallWaitMs } from '../../../infra/local/sfn/waits.js';

const definition: AslDefinition = {
  StartAt: 'Fixed',
  States: {
    Fixed: { Type: 'Wait', Seconds: 86400, Next: 'ByPath' },
    ByPath: { Type: 'Wait', SecondsPath: '$.delay', InputPath: '$.inner', OutputPath: '$.kept', Next: 'Branches' },
    Branches: {
      Type: 'Parallel',
      Next: 'Until',
      Branches: [{ StartAt: 'Nested', States: { Nested: { Type: 'Wait', Timestamp: '2030-01-01T00:00:00Z', End: true } } }],
    },
    Until: { Type: 'Wait', TimestampPath: '$.at', End: true },
  },
};

describe('rewriteWaits', () => {
  const { definition: rewritten, waitStates } = rewriteWaits(definition);

  it('finds every Wait state, nested ones included, and leaves the input definition untouched', () => {
    expect(waitStates).toEqual(['Fixed', 'ByPath', 'Nested', 'Until']);
    expect(definition.States.Fixed?.Type).toBe('Wait');
  });

  it('turns each Wait into a scaled-wait Task that keeps its paths and transitions', () => {
    expect(rewritten.States.Fixed).toMatchObject({
      Type: 'Task',
      Resource: SCALED_WAIT_RESOURCE,
      Parameters: { 'input.$': '$', seconds: 86400 },
      Next: 'ByPath',
    });
    expect(rewritten.States.ByPath).toMatchObject({
      Parameters: { 'input.$': '$', 'seconds.$': '$.delay' },
      InputPath: '$.inner',
      OutputPath: '$.kept',
    });
    expect(rewritten.States.Until).toMatchObject({ Parameters: { 'timestamp.$': '$.at' }, End: true });
    expect(rewritten.States.Until).not.toHaveProperty('TimestampPath');
    const nested = (rewritten.States.Branches?.Branches as AslDefinition[])[0]?.States.Nested;
    expect(nested).toMatchObject({ Type: 'Task', Parameters: { timestamp: '2030-01-01T00:00:00Z' } });
  });
});

describe('wallWaitMs', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const options = { timeScale: 86400, clock: () => now };

  it('scales seconds: a day lasts a second at 86400', () => {
    expect(wallWaitMs({ seconds: 86400 }, options)).toBe(1000);
  });

  it('scales timestamps relative to the runner clock, and never goes negative', () => {
    expect(wallWaitMs({ timestamp: '2030-01-03T00:00:00Z' }, options)).toBe(2000);
    expect(wallWaitMs({ timestamp: '2029-12-31T00:00:00Z' }, options)).toBe(0);
  });

  it('refuses values a Wait state would refuse', () => {
    expect(() => wallWaitMs({ seconds: -1 }, options)).toThrow(/non-negative integer/);
    expect(() => wallWaitMs({ timestamp: 'tomorrow' }, options)).toThrow(/not a timestamp/);
  });
});

describe('scaledWaitHandler', () => {
  it('answers the effective input, as a Wait state outputs it', async () => {
    const wait = scaledWaitHandler({ timeScale: 1, clock: () => new Date(), signal: new AbortController().signal });
    await expect(wait({ input: { a: 1 }, seconds: 0 })).resolves.toEqual({ a: 1 });
  });

  it('ends at once when the execution stops', async () => {
    const controller = new AbortController();
    const wait = scaledWaitHandler({ timeScale: 1, clock: () => new Date(), signal: controller.signal });
    const waiting = wait({ input: 'x', seconds: 3600 });
    controller.abort();
    await expect(waiting).resolves.toBe('x');
  });

  it('follows a time scale that changes while it waits: an hour at real time ends once the cloud runs fast', async () => {
    const clock = localClock({ home: tmpdir(), inMemory: true, timeScale: 1 });
    const changingScale = { current: clock.timeScale, onChange: clock.onChange };
    const wait = scaledWaitHandler({ timeScale: 1, clock: clock.now, signal: new AbortController().signal, changingScale });
    const startedAt = clock.now().getTime();
    let done = false;
    const waiting = wait({ input: 'woke', seconds: 3600 }).then((out) => {
      done = true;
      return out;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    clock.setTimeScale(36_000_000);
    await expect(waiting).resolves.toBe('woke');
    // It ended at its business time, not before.
    expect(clock.now().getTime() - startedAt).toBeGreaterThanOrEqual(3_600_000);
  });

  it('a wait until a timestamp that starts after a change of scale reckons with the new scale', async () => {
    const clock = localClock({ home: tmpdir(), inMemory: true, timeScale: 1 });
    clock.setTimeScale(36_000_000);
    const wait = scaledWaitHandler({ timeScale: 1, clock: clock.now, signal: new AbortController().signal, changingScale: { current: clock.timeScale, onChange: clock.onChange } });
    await expect(wait({ input: 1, timestamp: new Date(clock.now().getTime() + 86_400_000).toISOString() })).resolves.toBe(1);
  });

  it('fails clearly when one wait would exceed what a node timer can hold', async () => {
    const wait = scaledWaitHandler({ timeScale: 1, clock: () => new Date(), signal: new AbortController().signal });
    await expect(wait({ input: null, seconds: 30 * 86400 })).rejects.toThrow(/raise timeScale/);
  });
});

describe('execution and task timeouts', () => {
  const definition = (extra: Record<string, unknown>, taskTimeout?: number) => ({
    StartAt: 'T',
    ...extra,
    States: { T: { Type: 'Task', Resource: 'arn:x', End: true, ...(taskTimeout ? { TimeoutSeconds: taskTimeout } : {}) } },
  });

  it('scales an execution timeout by the time scale', () => {
    expect(boundTimeouts(definition({ TimeoutSeconds: 365 * 86_400 }), 86_400).TimeoutSeconds).toBe(365);
  });

  it('drops an execution timeout no single timer can hold, rather than letting it fire at once', () => {
    expect(boundTimeouts(definition({ TimeoutSeconds: 365 * 86_400 }), 1).TimeoutSeconds).toBeUndefined();
  });

  it('keeps task timeouts real but within a timer’s reach', () => {
    expect(boundTimeouts(definition({}, 30), 86_400).States.T?.TimeoutSeconds).toBe(30);
    expect(boundTimeouts(definition({}, 10 ** 9), 1).States.T?.TimeoutSeconds).toBe(Math.floor(MAX_WALL_WAIT_MS / 1000));
  });
});
