import type { AppDeps } from '../../shared/adapters/deps.js';

/**
 * `deps.db` that lets another writer in at one exact moment of a race: the first command `when` picks
 * runs `before` just before it is sent, or `after` once it is answered (the command itself is unchanged).
 * For tests that put a concurrent write between a reader's read and its write, every time.
 */
export const racedDb = (deps: AppDeps, when: (command: unknown) => boolean, hook: { before?: () => Promise<unknown>; after?: () => Promise<unknown> }): AppDeps['db'] => {
  let armed = true;
  const send = deps.db.send.bind(deps.db) as (...args: unknown[]) => Promise<unknown>;
  return {
    send: async (command: unknown, ...rest: unknown[]) => {
      const hit = armed && when(command);
      if (hit) armed = false;
      if (hit) await hook.before?.();
      const result = await send(command, ...rest);
      if (hit) await hook.after?.();
      return result;
    },
  } as AppDeps['db'];
};
