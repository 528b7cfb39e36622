import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { APP_FUNCTION_BUNDLING, REPO_ROOT } from '../../infra/constructs/app-function.js';
import { SDK_NODE_VERSION_WARNING_SWITCH } from '../../infra/local/sdk-node-warning.js';
import { esbuildOptionsFor, harmlessEnv, projectInputs, sdkImportsOf, sdkOnlyEntry, type SdkImports } from './bundle-analysis.js';
import { deployedLambdas } from './bundles.js';
import { median } from './stats.js';

/**
 * Where module-load time goes (tests/README.md, "Cold starts"); not part of `npm run bench`. Every
 * bundle is built as CDK bundles a Lambda (APP_FUNCTION_BUNDLING) and imported in fresh `node`
 * processes, all bundles of one comparison alternating run by run so they share the machine's load; the
 * figure is the CPU time of the `import()`, as tests/bench/bundles.ts measures it.
 *
 *   npx tsx tests/bench/load-parts.ts parts [runs] [name-substring …]
 *     the parts below, each loaded alone
 *   npx tsx tests/bench/load-parts.ts functions <before-tree> [runs] [entry-substring …]
 *     per deployed Lambda: its SDK-only bundle, its bundle from <before-tree> (a checkout of the
 *     commit to compare with, node_modules linked in) and from this tree
 *   npx tsx tests/bench/load-parts.ts without-zod [runs] [entry-substring …]
 *     per deployed Lambda: its SDK-only bundle, its bundle, and its bundle with classic zod replaced
 *     by an inert stand-in: what no schema library at all would load in, the lower bound of any
 *     validator compiled at build time (which would add its generated code back)
 */

const run = promisify(execFile);

interface Loadable {
  name: string;
  /** TypeScript source of the entry; imports resolve from `root`. */
  contents: string;
  root: string;
  env: Record<string, string>;
}

const BASE_ENV: Record<string, string> = {
  ...harmlessEnv({ TABLE_NAME: 'bench-table', POWERTOOLS_SERVICE_NAME: 'bench' }),
  ...(Number(process.versions.node.split('.')[0]) < 22 ? { [SDK_NODE_VERSION_WARNING_SWITCH]: 'true' } : {}),
};

/** Parts of the floor every entry pays, loaded alone. */
const SDK = `export { DynamoDBClient } from '@aws-sdk/client-dynamodb'; export { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; export { SESv2Client } from '@aws-sdk/client-sesv2';`;
const PARTS: Array<[string, string]> = [
  ['empty module', 'export const x = 1;'],
  ['SDK only (DynamoDB, Document client, SESv2)', SDK],
  ['zod classic, one z.string()', `import * as z from 'zod'; export const s = z.string();`],
  ['zod/mini, one z.string()', `import * as z from 'zod/mini'; export const s = z.string();`],
  ['parseEnv()', `import { parseEnv } from './shared/config/env.js'; export const env = parseEnv();`],
  ['the logger (shared/adapters/telemetry.ts)', `import { logger } from './shared/adapters/telemetry.js'; export const l = logger;`],
  ['middy', `import middy from '@middy/core'; export const h = middy(async () => 1);`],
  ['SDK + zod classic, one z.string()', `${SDK} import * as z from 'zod'; export const s = z.string();`],
  ['SDK + parseEnv()', `${SDK} import { parseEnv } from './shared/config/env.js'; export const env = parseEnv();`],
  ['SDK + the logger', `${SDK} import { logger } from './shared/adapters/telemetry.js'; export const l = logger;`],
  ['SDK + middy', `${SDK} import middy from '@middy/core'; export const h = middy(async () => 1);`],
  ['parseEnv + logger + depsFromEnv (clients built)', `import { parseEnv } from './shared/config/env.js'; import { logger } from './shared/adapters/telemetry.js'; import { depsFromEnv } from './shared/adapters/deps.js'; export const d = depsFromEnv(parseEnv()); export const l = logger;`],
  ['area handler, no route', `import { parseEnv } from './shared/config/env.js'; import { depsFromEnv } from './shared/adapters/deps.js'; import { createAreaHandler } from './shared/http/area-handler.js'; export const handler = createAreaHandler([], depsFromEnv(parseEnv()));`],
  ['consumer Lambda, no-op consumer', `import { consumerLambda } from './shared/events/consumer-lambda.js'; export const h = consumerLambda({ name: 'x', handle: async () => undefined }, { subscriptions: [] });`],
  ['the subscription table (functions/subscriptions.ts)', `import { subscriptions } from './functions/subscriptions.js'; export const s = subscriptions;`],
  ['kiosk webhook consumer, whole', `export { handler } from './functions/events/kiosk-webhook.handler.js';`],
];

const loadCpuMs = async (file: string, env: Record<string, string>): Promise<number> => {
  const script =
    `const c = process.cpuUsage(); await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
    `const u = process.cpuUsage(c); process.stdout.write(JSON.stringify((u.user + u.system) / 1000));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
  const cpuMs = Number(stdout.trim());
  if (!Number.isFinite(cpuMs)) throw new Error(`loading ${file} printed ${stdout}`);
  return cpuMs;
};

interface Built {
  file: string;
  bytes: number;
  /** The AWS SDK imports of the project files it bundles (for its SDK-only baseline). */
  sdkImports: SdkImports;
}

/**
 * Classic zod replaced by one inert value under every name it exports: any call or property of it
 * gives it back, so the schemas a bundle builds or keeps at import cost nothing, and a `parse` hands
 * its input back. Only for measuring a load: nothing is validated. `zod/mini` (the environment) and
 * its locales stay real: they are the floor every entry pays (tests/README.md, "Cold starts").
 */
const inertZod = async (): Promise<Plugin> => {
  const names = Object.keys(await import('zod'));
  const contents =
    `const handler = { get: (_t, p) => p === 'then' ? undefined : p === 'parse' ? (x) => x : p === 'safeParse' ? (x) => ({ success: true, data: x }) : inert, apply: () => inert, construct: () => inert, getPrototypeOf: () => inert };\n` +
    `const inert = new Proxy(function () {}, handler);\n` +
    `export { ${names.map((n) => `inert as ${JSON.stringify(n)}`).join(', ')} };\n`;
  return {
    name: 'inert-zod',
    setup: (b) => {
      b.onResolve({ filter: /^zod$/ }, () => ({ path: 'inert-zod', namespace: 'inert-zod' }));
      b.onLoad({ filter: /.*/, namespace: 'inert-zod' }, () => ({ contents, loader: 'js' }));
    },
  };
};

const buildOne = async (item: Loadable, outfile: string, plugins: Plugin[] = []): Promise<Built> => {
  mkdirSync(path.dirname(outfile), { recursive: true });
  const built = await build({
    ...esbuildOptionsFor(APP_FUNCTION_BUNDLING),
    plugins,
    absWorkingDir: item.root,
    stdin: { contents: item.contents, resolveDir: item.root, sourcefile: 'entry.ts', loader: 'ts' },
    outfile,
    metafile: true,
  });
  const sdkImports: SdkImports = new Map();
  for (const input of projectInputs(built.metafile)) if (input !== 'entry.ts') sdkImportsOf(readFileSync(path.join(item.root, input), 'utf8'), sdkImports);
  return { file: outfile, bytes: statSync(outfile).size, sdkImports };
};

/** Median import CPU (ms) of each item, all alternating, after one warm-up load each. */
const measure = async (items: Array<Loadable & Built>, runs: number): Promise<number[]> => {
  for (const item of items) await loadCpuMs(item.file, item.env);
  const samples = items.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) for (const [i, item] of items.entries()) samples[i]!.push(await loadCpuMs(item.file, item.env));
  return samples.map(median);
};

const parts = async (dir: string, runs: number, filters: string[]): Promise<void> => {
  const chosen = PARTS.filter(([name]) => filters.length === 0 || filters.some((f) => name.includes(f)));
  const items: Array<Loadable & Built> = [];
  for (const [i, [name, contents]] of chosen.entries()) {
    const item = { name, contents, root: REPO_ROOT, env: BASE_ENV };
    items.push({ ...item, ...(await buildOne(item, path.join(dir, `p${i}`, 'index.mjs'))) });
  }
  const cpu = await measure(items, runs);
  for (const [i, item] of items.entries()) console.log(`| ${item.name} | ${(item.bytes / 1000).toFixed(0)} kB | ${cpu[i]!.toFixed(1)} ms |`);
};

const functions = async (dir: string, beforeRoot: string, runs: number, filters: string[]): Promise<void> => {
  const lambdas = deployedLambdas().filter((l) => filters.length === 0 || filters.some((f) => l.entry.includes(f)));
  console.log('| function (entry) | size before → after | SDK-only | load before | load after | CPU saved |\n|---|---|---|---|---|---|');
  for (const [n, lambda] of lambdas.entries()) {
    const env = { ...BASE_ENV, ...harmlessEnv(lambda.environment) };
    const entry = `export { handler } from './${lambda.entry.replace(/\.ts$/, '.js')}';`;
    const before = { name: 'before', contents: entry, root: path.resolve(beforeRoot), env };
    const after = { name: 'after', contents: entry, root: REPO_ROOT, env };
    const builtBefore = await buildOne(before, path.join(dir, `f${n}b`, 'index.mjs'));
    const builtAfter = await buildOne(after, path.join(dir, `f${n}a`, 'index.mjs'));
    const sdk = { name: 'sdk', contents: sdkOnlyEntry(builtAfter.sdkImports), root: REPO_ROOT, env };
    const builtSdk = await buildOne(sdk, path.join(dir, `f${n}s`, 'index.mjs'));
    const [sdkMs, beforeMs, afterMs] = (await measure([{ ...sdk, ...builtSdk }, { ...before, ...builtBefore }, { ...after, ...builtAfter }], runs)) as [number, number, number];
    const ratio = (ms: number) => `${ms.toFixed(1)} ms = ${(ms / sdkMs).toFixed(2)}×`;
    console.log(`| \`${lambda.entry}\` | ${(builtBefore.bytes / 1000).toFixed(0)} → ${(builtAfter.bytes / 1000).toFixed(0)} kB | ${sdkMs.toFixed(1)} ms | ${ratio(beforeMs)} | ${ratio(afterMs)} | ${(beforeMs - afterMs).toFixed(1)} ms |`);
  }
};

const withoutZod = async (dir: string, runs: number, filters: string[]): Promise<void> => {
  const lambdas = deployedLambdas().filter((l) => filters.length === 0 || filters.some((f) => l.entry.includes(f)));
  const inert = await inertZod();
  console.log('| function (entry) | size → without zod | SDK-only | load | load without zod |\n|---|---|---|---|---|');
  for (const [n, lambda] of lambdas.entries()) {
    const env = { ...BASE_ENV, ...harmlessEnv(lambda.environment) };
    const whole = { name: 'whole', contents: `export { handler } from './${lambda.entry.replace(/\.ts$/, '.js')}';`, root: REPO_ROOT, env };
    const builtWhole = await buildOne(whole, path.join(dir, `f${n}w`, 'index.mjs'));
    const builtBare = await buildOne(whole, path.join(dir, `f${n}z`, 'index.mjs'), [inert]);
    const sdk = { name: 'sdk', contents: sdkOnlyEntry(builtWhole.sdkImports), root: REPO_ROOT, env };
    const builtSdk = await buildOne(sdk, path.join(dir, `f${n}s`, 'index.mjs'));
    const [sdkMs, wholeMs, bareMs] = (await measure([{ ...sdk, ...builtSdk }, { ...whole, ...builtWhole }, { ...whole, ...builtBare }], runs)) as [number, number, number];
    const ratio = (ms: number) => `${ms.toFixed(1)} ms = ${(ms / sdkMs).toFixed(2)}×`;
    console.log(`| \`${lambda.entry}\` | ${(builtWhole.bytes / 1000).toFixed(0)} → ${(builtBare.bytes / 1000).toFixed(0)} kB | ${sdkMs.toFixed(1)} ms | ${ratio(wholeMs)} | ${ratio(bareMs)} |`);
  }
};

const main = async (): Promise<void> => {
  const [mode, ...args] = process.argv.slice(2);
  const dir = mkdtempSync(path.join(tmpdir(), 'keiro-load-parts-'));
  try {
    if (mode === 'parts') await parts(dir, Number(args[0] ?? 7), args.slice(1));
    else if (mode === 'functions' && args[0]) await functions(dir, args[0], Number(args[1] ?? 5), args.slice(2));
    else if (mode === 'without-zod') await withoutZod(dir, Number(args[0] ?? 7), args.slice(1));
    else throw new Error('usage: load-parts.ts parts [runs] [name …] | functions <before-tree> [runs] [entry …] | without-zod [runs] [entry …]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

await main();
