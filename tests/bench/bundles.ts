import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { build } from 'esbuild';
import { buildApp } from '../../infra/app.js';
import { APP_FUNCTION_BUNDLING, AppFunction, REPO_ROOT } from '../../infra/constructs/app-function.js';
import { SDK_NODE_VERSION_WARNING_SWITCH } from '../../infra/local/sdk-node-warning.js';
import { AREA_BUNDLED_FILES } from '../../functions/bundled-files.js';
import type { BundledFile } from '../../shared/adapters/bundled-file.js';
import { bytesByPackage, esbuildOptionsFor, harmlessEnv, projectInputs, sdkImportsOf, sdkOnlyEntry, type SdkImports } from './bundle-analysis.js';
import { median } from './stats.js';

const run = promisify(execFile);
const repoRequire = createRequire(path.join(REPO_ROOT, 'package.json'));

/** A Lambda that CDK deploys: its entry, the environment CDK gives it, the files copied beside its bundle. */
export interface DeployedLambda {
  /** Construct path without the stack prefix, e.g. `api/RecordsArea`. */
  name: string;
  /** Relative to the repository root. */
  entry: string;
  /** Environment as synthesized; a deploy-time token (a Ref, a Join) is an object. */
  environment: Record<string, unknown>;
  bundledFiles: readonly BundledFile[];
}

/**
 * Every AppFunction of the CDK app (infra/app.ts) as `npx cdk synth` builds it, without bundling:
 * areas, bus consumers, workflow tasks, the outbox enricher, the inbound-mail processor.
 */
export const deployedLambdas = (): DeployedLambda[] => {
  const keiro = buildApp({ context: { bundling: 'false', sesDomain: 'crm.example.com', alarmEmail: 'ops@crm.example.com' }, nag: false, cloudFormationValidation: false });
  const areaOf = new Map([...keiro.api.areaFunctions].map(([area, fn]) => [fn, area]));
  return keiro.app.node
    .findAll()
    .filter((c): c is AppFunction => c instanceof AppFunction)
    .map((fn) => {
      const env = Stack.of(fn).resolve((fn.fn.node.defaultChild as CfnFunction).environment) as { variables?: Record<string, unknown> } | undefined;
      const area = areaOf.get(fn);
      return {
        name: fn.node.path.replace(`${keiro.stage.prefix}-`, ''),
        entry: fn.entry,
        environment: env?.variables ?? {},
        bundledFiles: area ? (AREA_BUNDLED_FILES[area] ?? []) : [],
      };
    });
};

export interface BundleBench {
  name: string;
  entry: string;
  /** index.mjs */
  bytes: number;
  sourceMapBytes: number;
  /** Files CDK copies beside the bundle (served, not loaded at import). */
  copiedBytes: number;
  /** The three largest contributors to `bytes` (see bytesByPackage). */
  largest: Array<[string, number]>;
  sdkPackages: string[];
  sdkBytes: number;
  /**
   * CPU time (user + system, all of the process's threads) of the bundle's import: median of `runs`. The
   * goal is judged on it: on a machine shared by many processes the wall time of a load is mostly the
   * wait for a core (the same SDK-only bundle took 0.2 to 2.9 s of wall time here); its CPU time is the
   * work a cold start does, which in Lambda, with a core of its own, is what the caller waits for.
   */
  loadMs: number;
  sdkLoadMs: number;
  /** Wall time of the same imports (median), for information. */
  loadWallMs: number;
  sdkLoadWallMs: number;
  runs: number;
}

/** Lambda runs Node 22, where the SDK has no Node-version warning to print at client construction: nor do the loads here. */
const sdkWarningSwitch = (): Record<string, string> => (Number(process.versions.node.split('.')[0]) < 22 ? { [SDK_NODE_VERSION_WARNING_SWITCH]: 'true' } : {});

/** One fresh `node` process importing the bundle: the import's own CPU and wall time (ms), process start excluded. */
const loadOnce = async (file: string, env: Record<string, string>): Promise<{ cpuMs: number; wallMs: number }> => {
  const script =
    `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
    `const wall = performance.now() - t; const u = process.cpuUsage(c); process.stdout.write(JSON.stringify([(u.user + u.system) / 1000, wall]));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH ?? '', ...sdkWarningSwitch(), ...env }, timeout: 60_000 });
  const [cpuMs, wallMs] = (/^\[[^\]]*\]$/.test(stdout.trim()) ? JSON.parse(stdout.trim()) : []) as number[];
  if (!Number.isFinite(cpuMs) || !Number.isFinite(wallMs)) throw new Error(`loading ${file} printed ${stdout}`);
  return { cpuMs: cpuMs!, wallMs: wallMs! };
};

const bytesOf = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/**
 * Bundles every deployed Lambda as CDK does (APP_FUNCTION_BUNDLING through esbuildOptionsFor), and the
 * same with only the AWS SDK imports of its own code; measures both bundles' size and module-load time
 * (median of `runs` fresh processes each, the two alternating so they share the machine's load; the
 * load judged on CPU time, see `loadMs`). An
 * entry's load includes what it awaits at import (the cadence entries read their unsubscribe key from
 * the table: give them one through `env`).
 */
export const benchBundles = async (
  options: {
    runs?: number;
    only?: (l: DeployedLambda) => boolean;
    /** Set over every Lambda's environment, e.g. DYNAMODB_ENDPOINT and TABLE_NAME of a DynamoDB Local table for what reads it at import. */
    env?: Record<string, string>;
    log?: (line: string) => void;
  } = {},
): Promise<BundleBench[]> => {
  const runs = options.runs ?? 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`benchBundles: runs must be a positive whole number, not ${runs}`);
  const log = options.log ?? (() => undefined);
  const lambdas = deployedLambdas().filter(options.only ?? (() => true));
  const esbuildOptions = esbuildOptionsFor(APP_FUNCTION_BUNDLING);
  const dir = mkdtempSync(path.join(tmpdir(), 'keiro-bench-bundles-'));
  const sdkBundles = new Map<string, { file: string; bytes: number }>();
  const results: BundleBench[] = [];
  try {
    for (const [i, lambda] of lambdas.entries()) {
      const outfile = path.join(dir, `fn${i}`, 'index.mjs');
      const built = await build({ ...esbuildOptions, absWorkingDir: REPO_ROOT, entryPoints: [path.join(REPO_ROOT, lambda.entry)], outfile, metafile: true });
      const imports: SdkImports = new Map();
      for (const input of projectInputs(built.metafile)) sdkImportsOf(readFileSync(path.join(REPO_ROOT, input), 'utf8'), imports);
      const contents = sdkOnlyEntry(imports);
      let sdk = sdkBundles.get(contents);
      if (!sdk) {
        const file = path.join(dir, `sdk${sdkBundles.size}`, 'index.mjs');
        mkdirSync(path.dirname(file), { recursive: true });
        await build({ ...esbuildOptions, absWorkingDir: REPO_ROOT, stdin: { contents, resolveDir: REPO_ROOT, sourcefile: 'sdk-only.mjs', loader: 'js' }, outfile: file });
        sdk = { file, bytes: bytesOf(file) };
        sdkBundles.set(contents, sdk);
      }
      const env = { ...harmlessEnv(lambda.environment), ...options.env };
      const load: Array<{ cpuMs: number; wallMs: number }> = [];
      const sdkLoad: Array<{ cpuMs: number; wallMs: number }> = [];
      await loadOnce(outfile, env); // warm the file cache for both
      await loadOnce(sdk.file, env);
      for (let r = 0; r < runs; r++) {
        load.push(await loadOnce(outfile, env));
        sdkLoad.push(await loadOnce(sdk.file, env));
      }
      const result: BundleBench = {
        name: lambda.name,
        entry: lambda.entry,
        bytes: bytesOf(outfile),
        sourceMapBytes: bytesOf(`${outfile}.map`),
        copiedBytes: lambda.bundledFiles.reduce((sum, f) => sum + bytesOf(repoRequire.resolve(f.module)), 0),
        largest: bytesByPackage(built.metafile).slice(0, 3),
        sdkPackages: [...imports.keys()].sort(),
        sdkBytes: sdk.bytes,
        loadMs: median(load.map((l) => l.cpuMs)),
        sdkLoadMs: median(sdkLoad.map((l) => l.cpuMs)),
        loadWallMs: median(load.map((l) => l.wallMs)),
        sdkLoadWallMs: median(sdkLoad.map((l) => l.wallMs)),
        runs,
      };
      log(`bundle ${result.entry}: ${result.bytes} bytes, load ${result.loadMs.toFixed(1)} ms CPU (${result.loadWallMs.toFixed(1)} ms wall); SDK only (${result.sdkPackages.join(', ') || 'none'}): ${result.sdkBytes} bytes, ${result.sdkLoadMs.toFixed(1)} ms CPU (${result.sdkLoadWallMs.toFixed(1)} ms wall)`);
      results.push(result);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
};
