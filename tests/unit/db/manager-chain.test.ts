import { describe, expect, it } from 'vitest';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { loadPeople } from '../../../shared/db/people.js';
import { managerChain } from '../../../shared/db/users-repo.js';

/** A directory a → b → c → d (and a cycle x → y → x), counting the reads of it. */
const directory = () => {
  const managers: Record<string, string | undefined> = { a: 'b', b: 'c', c: 'd', d: undefined, x: 'y', y: 'x' };
  const reads: string[] = [];
  const deps = {
    tableName: 't',
    db: {
      send: async (command: { input: { Key: { PK: string } } }) => {
        const id = command.input.Key.PK.replace(/^USER#/, '');
        reads.push(id);
        return id in managers ? { Item: { id, managerId: managers[id] } } : {};
      },
    },
  } as unknown as AppDeps;
  return { deps, reads };
};

/** Manager chains are read one level per round trip, so a chain is read only as far up as it is needed. */
describe('managerChain', () => {
  it('reads the whole chain by default, and stops at a missing user or a cycle', async () => {
    const { deps, reads } = directory();
    expect(await managerChain(deps, 'a')).toEqual(['b', 'c', 'd']);
    expect(reads).toEqual(['a', 'b', 'c', 'd']);
    expect(await managerChain(directory().deps, 'x')).toEqual(['y']);
  });

  it('with levels, reads no further than the last level asked for', async () => {
    const one = directory();
    expect(await managerChain(one.deps, 'a', 1)).toEqual(['b']);
    expect(one.reads).toEqual(['a']);
    const two = directory();
    expect(await managerChain(two.deps, 'a', 2)).toEqual(['b', 'c']);
    expect(two.reads).toEqual(['a', 'b']);
    expect(await managerChain(directory().deps, 'a', 0)).toEqual([]);
  });

  it('starts from the managers the request already read, without reading them again', async () => {
    const { deps, reads } = directory();
    expect(await managerChain(deps, 'a', 1, new Map([['a', 'b']]))).toEqual(['b']);
    expect(reads).toEqual([]);
    expect(await managerChain(deps, 'a', 2, new Map([['a', 'b']]))).toEqual(['b', 'c']);
    expect(reads).toEqual(['b']);
    expect(await managerChain(deps, 'a', 3, new Map([['a', null]]))).toEqual([]);
  });

  it("loadPeople reads the owner's chain as far as the participants name it", async () => {
    const { deps, reads } = directory();
    const people = await loadPeople(deps, [{ kind: 'ownerManager', levels: 2 }], { ownerId: 'a' });
    expect(people.ownerManagerChain).toEqual(['b', 'c']);
    expect(reads).toEqual(['a', 'b']);
  });
});
