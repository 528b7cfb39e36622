import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../../../infra/constructs/app-function.js';

/**
 * What a Lambda's code can call, found statically: every source file of the repo reachable from the
 * entry (esbuild's import graph, dependencies left out), scanned for AWS SDK v3 commands. Coarse by
 * design (per file, not per branch): it over-approximates, so "the grant covers the code" holds.
 */
export interface CodeAccess {
  /** IAM actions, e.g. `dynamodb:GetItem`, `events:PutEvents`, `ses:SendEmail`. */
  actions: Set<string>;
  /** Repo-relative source files reached from the entry. */
  files: string[];
}

/** SDK command → the IAM action(s) it needs. TransactWrite is resolved from the item kinds used. */
const COMMAND_ACTIONS: Record<string, string[]> = {
  Get: ['dynamodb:GetItem'],
  GetItem: ['dynamodb:GetItem'],
  Put: ['dynamodb:PutItem'],
  PutItem: ['dynamodb:PutItem'],
  Update: ['dynamodb:UpdateItem'],
  UpdateItem: ['dynamodb:UpdateItem'],
  Delete: ['dynamodb:DeleteItem'],
  DeleteItem: ['dynamodb:DeleteItem'],
  Query: ['dynamodb:Query'],
  Scan: ['dynamodb:Scan'],
  BatchGet: ['dynamodb:BatchGetItem'],
  BatchGetItem: ['dynamodb:BatchGetItem'],
  BatchWrite: ['dynamodb:BatchWriteItem'],
  BatchWriteItem: ['dynamodb:BatchWriteItem'],
  TransactGet: ['dynamodb:GetItem'],
  TransactGetItems: ['dynamodb:GetItem'],
  PutEvents: ['events:PutEvents'],
  SendEmail: ['ses:SendEmail'],
  StartExecution: ['states:StartExecution'],
};

/** Items of a TransactWriteItems request, as written in our code: `{ Put: {...} }`, `{ ConditionCheck: {...} }`. */
const TRANSACT_ITEM_ACTIONS: Array<[RegExp, string]> = [
  [/\bPut:\s*\{/, 'dynamodb:PutItem'],
  [/\bUpdate:\s*\{/, 'dynamodb:UpdateItem'],
  [/\bDelete:\s*\{/, 'dynamodb:DeleteItem'],
  [/\bConditionCheck:\s*\{/, 'dynamodb:ConditionCheckItem'],
];

export const codeAccess = async (entry: string): Promise<CodeAccess> => {
  const result = await build({
    entryPoints: [path.join(REPO_ROOT, entry)],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const files = Object.keys(result.metafile.inputs);
  const actions = new Set<string>();
  let transactWrite = false;
  const sources = files.map((f) => readFileSync(path.join(REPO_ROOT, f), 'utf8'));
  for (const source of sources) {
    for (const match of source.matchAll(/\bnew\s+([A-Z][A-Za-z]+)Command\s*\(/g)) {
      const command = match[1]!;
      if (command === 'TransactWrite' || command === 'TransactWriteItems') transactWrite = true;
      else for (const action of COMMAND_ACTIONS[command] ?? [`unknown:${command}`]) actions.add(action);
    }
  }
  if (transactWrite) {
    for (const source of sources) for (const [pattern, action] of TRANSACT_ITEM_ACTIONS) if (pattern.test(source)) actions.add(action);
  }
  return { actions, files };
};
