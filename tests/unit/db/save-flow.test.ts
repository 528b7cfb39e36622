import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { saveFlow, type ScreenFlow } from '../../../shared/db/screen-flows-repo.js';

/** A fake table that records each call's command and how many items a transaction carried. */
const recordingDeps = () => {
  const calls: Array<{ command: string; items?: number }> = [];
  const deps = {
    tableName: 't',
    db: {
      send: async (command: { constructor: { name: string }; input: { TransactItems?: unknown[] } }) => {
        calls.push({ command: command.constructor.name, ...(command.input.TransactItems ? { items: command.input.TransactItems.length } : {}) });
        return {};
      },
    },
  } as unknown as AppDeps;
  return { deps, calls };
};

const flow: ScreenFlow<Record<string, never>> = {
  kind: 'kiosk',
  id: 'R1',
  userId: 'u-agent',
  definitionId: 'K1',
  definitionVersion: 1,
  status: 'active',
  state: {},
  version: 2,
  createdAt: '2026-12-06T00:00:00.000Z',
  updatedAt: '2026-12-06T00:00:00.000Z',
  expiresAt: 1_900_000_000,
};
const partitions = (n: number) => Array.from({ length: n }, (_, i) => `REC#Contacts#C${i}`);

/** A flow and the quotes of the records it copies land together when one transaction holds them, else the quotes first. */
describe('saveFlow', () => {
  it('writes the flow alone when it quotes nothing, and with its quotes (each once) in one transaction', async () => {
    const alone = recordingDeps();
    await saveFlow(alone.deps, flow);
    expect(alone.calls).toEqual([{ command: 'PutCommand' }]);
    const quoted = recordingDeps();
    await saveFlow(quoted.deps, flow, [...partitions(3), 'REC#Contacts#C0']);
    expect(quoted.calls).toEqual([{ command: 'TransactWriteCommand', items: 4 }]);
  });

  it('past what one transaction holds (a kiosk that loaded many records), writes the quotes first, then the flow', async () => {
    const { deps, calls } = recordingDeps();
    await saveFlow(deps, flow, partitions(150));
    expect(calls).toHaveLength(151);
    expect(calls.slice(0, 150).every((c) => c.command === 'PutCommand')).toBe(true);
    expect(calls.at(-1)).toEqual({ command: 'PutCommand' });
    const edge = recordingDeps();
    await saveFlow(edge.deps, flow, partitions(98));
    expect(edge.calls).toEqual([{ command: 'TransactWriteCommand', items: 99 }]);
  });
});
