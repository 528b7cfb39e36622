import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../adapters/deps.js';
import { historyPut, type ChangeContext } from './history.js';
import { upgradeProcessDefinition } from '../domain/process/upgrade.js';
import { processDefinitionKeys } from './keys.js';
import { publishedCache } from './published-cache.js';
import { queryPage } from './query.js';
import { ConditionFailed, transactWrite, type TransactItem } from './transact.js';
import { Conflict, NotFound, StaleVersion } from '../domain/errors.js';

export type ProcessKind = 'blueprint' | 'approval-process' | 'review-process';

/** The head of a definition: its current draft and which version is published. */
export interface DefinitionHead<D> {
  kind: ProcessKind;
  id: string;
  module: string;
  name: string;
  draft: D;
  /** Bumped by every save (If-Match on PUT). */
  revision: number;
  /** The latest published version (0: never published). */
  publishedVersion: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

export interface DefinitionVersion<D> {
  kind: ProcessKind;
  id: string;
  version: number;
  def: D;
  publishedAt: string;
  publishedBy: string;
}

/** The stored item without its keys, its definition in today's criteria shape (stored earlier shapes are upgraded on read). */
const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, entity: _e, ...rest } = item;
  const kind = rest.kind as ProcessKind;
  if ('draft' in rest) rest.draft = upgradeProcessDefinition(kind, rest.draft);
  if ('def' in rest) rest.def = upgradeProcessDefinition(kind, rest.def);
  return rest as T;
};

export const getDefinition = async <D>(deps: AppDeps, kind: ProcessKind, id: string): Promise<DefinitionHead<D> | undefined> =>
  strip<DefinitionHead<D>>((await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: processDefinitionKeys.key(kind, id), ConsistentRead: true }))).Item);

export const requireDefinition = async <D>(deps: AppDeps, kind: ProcessKind, id: string): Promise<DefinitionHead<D>> => {
  const head = await getDefinition<D>(deps, kind, id);
  if (!head) throw new NotFound(`No ${kind} ${id}`);
  return head;
};

const publishedVersions = publishedCache<DefinitionVersion<unknown>>();

/** A published version (immutable): records and approvals in flight run on theirs. Read once per container (publishedCache). */
export const getDefinitionVersion = async <D>(deps: AppDeps, kind: ProcessKind, id: string, version: number): Promise<DefinitionVersion<D> | undefined> =>
  (await publishedVersions.get([deps.tableName, kind, id, version], async () =>
    strip<DefinitionVersion<D>>((await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: processDefinitionKeys.versionKey(kind, id, version) }))).Item),
  )) as DefinitionVersion<D> | undefined;

export const listDefinitions = async <D>(deps: AppDeps, kind: ProcessKind, limit: number, cursor?: string) =>
  queryPage<DefinitionHead<D>>(
    deps,
    { IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': processDefinitionKeys.listPartition(kind) } },
    limit,
    cursor,
  ).then((page) => ({ ...page, items: page.items.map((i) => strip<DefinitionHead<D>>(i as unknown as Record<string, unknown>) as DefinitionHead<D>) }));

const definitionHistory = (deps: AppDeps, kind: ProcessKind, id: string, eventName: string, at: string, data: unknown, ctx: ChangeContext): TransactItem =>
  historyPut(deps.tableName, {
    subjectPK: processDefinitionKeys.key(kind, id).PK,
    subject: { type: kind, id },
    eventId: deps.newId(),
    eventName,
    occurredAt: at,
    data,
    context: ctx,
  });

/**
 * Saves a draft: a new definition (revision 1) or the next revision of an existing one (conditional
 * on the revision read: a concurrent save is a 412). `publish` also writes version n+1 and the
 * caller's extra items (the module's process state) in the same transaction.
 */
export const saveDefinition = async <D extends { name: string; module: string }>(
  deps: AppDeps,
  kind: ProcessKind,
  current: DefinitionHead<D> | undefined,
  input: { id: string; draft: D; publish?: { extraItems: (version: number) => TransactItem[] } },
  ctx: ChangeContext,
): Promise<DefinitionHead<D>> => {
  const now = deps.clock().toISOString();
  const version = (current?.publishedVersion ?? 0) + (input.publish ? 1 : 0);
  const head: DefinitionHead<D> = {
    kind,
    id: input.id,
    module: input.draft.module,
    name: input.draft.name,
    draft: input.draft,
    revision: (current?.revision ?? 0) + 1,
    publishedVersion: version,
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
    createdBy: current?.createdBy ?? ctx.actor,
    updatedBy: ctx.actor,
  };
  const items: TransactItem[] = [
    {
      Put: {
        TableName: deps.tableName,
        Item: { ...processDefinitionKeys.item(kind, input.id, input.draft.module), entity: 'ProcessDefinition', ...head },
        ConditionExpression: current ? 'revision = :r' : 'attribute_not_exists(PK)',
        ...(current ? { ExpressionAttributeValues: { ':r': current.revision } } : {}),
      },
    },
    definitionHistory(deps, kind, input.id, 'process-definition.saved', now, { kind, id: input.id, module: head.module, name: head.name, revision: head.revision, publishedVersion: head.publishedVersion, published: !!input.publish }, ctx),
  ];
  if (input.publish) {
    const published: DefinitionVersion<D> = { kind, id: input.id, version, def: input.draft, publishedAt: now, publishedBy: ctx.actor };
    items.push(
      { Put: { TableName: deps.tableName, Item: { ...processDefinitionKeys.versionKey(kind, input.id, version), entity: 'ProcessDefinitionVersion', ...published }, ConditionExpression: 'attribute_not_exists(PK)' } },
      ...input.publish.extraItems(version),
    );
  }
  try {
    await transactWrite(deps, items);
  } catch (error) {
    if (error instanceof ConditionFailed) {
      if (!current && error.failedIndexes.includes(0)) throw new Conflict(`A ${kind} with id ${input.id} already exists`);
      throw new StaleVersion(`The ${kind} or its module's processes changed since you read them; read again and retry`);
    }
    throw error;
  }
  return head;
};
