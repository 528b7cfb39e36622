import type { AppDeps } from '../adapters/deps.js';
import type { AuthContext, Principal } from '../domain/access/principal.js';
import type { ModuleMetadata } from '../domain/records/module-definition.js';
import { grantKeysIn, grantsIn, scopeOf, type Item } from './access-context.js';
import { moduleKeys, moduleProcessKeys, recordKeys, userKeys, type Key } from './keys.js';
import { moduleProcessesFromItem, type ModuleProcesses } from './module-processes-repo.js';
import { knownOwnerTeam, moduleFromItem } from './modules-repo.js';
import { batchGet } from './query.js';
import type { RecordItem } from './records-repo.js';
import type { TeamScopeRef } from './team-grants.js';
import { principalOf, type UserItem } from './users-repo.js';

const idOf = (key: Key): string => `${key.PK}\u0000${key.SK}`;

/** What a kiosk request needs read about modules and teams: the caller's grants in them, the metadata, a written module's process state. */
export interface ModuleNeeds {
  modules?: readonly string[];
  /** Modules written: their process state (the records core's write guards) is read too. */
  written?: readonly string[];
  /** Teams whose membership of the caller matters (a kiosk's runner teams). */
  teams?: readonly string[];
}

/**
 * What one kiosk request has read, by key: each item read once, strongly consistently, and as much as
 * is known to be needed in one BatchGetItem (the access context's rule, across the several modules a
 * kiosk step touches). Writes the request plans are laid over it, so an action reads a record as an
 * earlier action of the same request leaves it. Nothing outlives the request: the caller's directory
 * entry and grants are read afresh by the next one, so a revocation holds on the very next request.
 */
export class KioskReads {
  private readonly items = new Map<string, Item | null>();
  private readonly scopes = new Map<string, TeamScopeRef>();
  /** BatchGetItem calls this request made (what the round-trip tests explain a figure with). */
  batches = 0;

  constructor(
    private readonly deps: AppDeps,
    private readonly auth: AuthContext,
  ) {}

  /** Reads, in one BatchGetItem, those of `keys` not read yet; nothing when every one is known. */
  async load(keys: ReadonlyArray<Key | undefined>): Promise<void> {
    const wanted = new Map<string, Key>();
    for (const key of keys) if (key && !this.items.has(idOf(key))) wanted.set(idOf(key), { PK: key.PK, SK: key.SK });
    if (wanted.size === 0) return;
    this.batches += 1;
    const found = await batchGet<Item>(this.deps, [...wanted.values()], true);
    for (const id of wanted.keys()) this.items.set(id, null);
    for (const item of found) this.items.set(idOf(item), item);
  }

  /** The item at `key` as read (or as this request plans to write it); undefined when absent. */
  item<T = Item>(key: Key): T | undefined {
    return (this.items.get(idOf(key)) ?? undefined) as T | undefined;
  }

  /** Whether `key` was read (or planned) in this request. */
  has(key: Key): boolean {
    return this.items.has(idOf(key));
  }

  /** A write this request plans: later reads of the item see it (`null`: deleted). */
  overlay(key: Key, item: Item | null): void {
    this.items.set(idOf(key), item);
  }

  /**
   * The keys for `needs`: the caller's entry, each module's metadata (and process state if written),
   * the caller's membership of each named team and, for a team module whose owner this container
   * knows, their grants in it. A team module seen for the first time has its grants in the next call.
   */
  keysFor(needs: ModuleNeeds): Key[] {
    const keys: Key[] = [userKeys.key(this.auth.userId)];
    for (const teamId of needs.teams ?? []) this.scopes.set(`team:${teamId}`, { teamId });
    for (const name of new Set([...(needs.modules ?? []), ...(needs.written ?? [])])) {
      keys.push(moduleKeys.key(name));
      const owner = this.has(moduleKeys.key(name)) ? (this.module(name)?.ownerTeamId ?? null) : knownOwnerTeam(this.deps, name);
      if (owner !== undefined) this.scopes.set(`module:${name}`, scopeOf(name, owner));
    }
    for (const name of needs.written ?? []) keys.push(moduleProcessKeys.key(name));
    return [...keys, ...grantKeysIn([...this.scopes.values()], this.auth.userId)];
  }

  /** Reads what `needs` calls for, with `more` keys in the same batch (a second batch only for a team module never seen before). */
  async loadFor(needs: ModuleNeeds, more: ReadonlyArray<Key | undefined> = []): Promise<void> {
    await this.load([...this.keysFor(needs), ...more]);
    await this.load(this.keysFor(needs));
  }

  /** A module's metadata, once read (a standard module that was never stored is its built-in definition). */
  module(name: string): ModuleMetadata | undefined {
    return moduleFromItem(this.deps, name, this.item(moduleKeys.key(name)));
  }

  /** A module's process state, once read. */
  processes(name: string): ModuleProcesses | undefined {
    const key = moduleProcessKeys.key(name);
    return this.has(key) ? moduleProcessesFromItem(name, this.item(key)) : undefined;
  }

  record(module: string, id: string): RecordItem | undefined {
    return this.item<RecordItem>(recordKeys.key(module, id));
  }

  /**
   * The caller as the access rules see them: their directory entry and their grants in every scope this
   * request has read (a scope not read grants nothing). 403 for a caller not in the directory.
   */
  principal(): Principal {
    const user = this.item<UserItem>(userKeys.key(this.auth.userId));
    const scopes = [...this.scopes.values()];
    return principalOf(this.auth, user, grantsIn(scopes, this.auth.userId, (key) => this.item(key)));
  }
}
