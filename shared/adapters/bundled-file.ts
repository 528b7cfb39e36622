import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file from an npm package that a Lambda serves as is (e.g. the API reference's script). esbuild
 * bundles code, not such files, so CDK copies each one next to the bundle (`bundlePath`, relative to
 * the bundle's `index.mjs`) after bundling; locally it is read from node_modules.
 */
export interface BundledFile {
  /** Package path as `require.resolve` takes it, e.g. `redoc/bundles/redoc.standalone.js`. */
  module: string;
  /** Where the Lambda bundle holds it, relative to its entry file. */
  bundlePath: string;
}

/** Shell commands (CDK's afterBundling hook) that copy the files into the bundle's output directory. */
export const bundledFileCommands = (files: readonly BundledFile[], resolve: (module: string) => string, outputDir: string): string[] =>
  files.flatMap((f) => {
    const target = path.posix.join(outputDir, f.bundlePath);
    return [`mkdir -p "${path.posix.dirname(target)}"`, `cp "${resolve(f.module)}" "${target}"`];
  });

const localRequire = createRequire(import.meta.url);

/**
 * Reads a bundled file: next to the running bundle in Lambda (`entryUrl` is the bundle's
 * `import.meta.url`), else from node_modules (local runs and tests).
 */
export const readBundledFile = (file: BundledFile, entryUrl: string = import.meta.url): string => {
  const beside = path.join(path.dirname(fileURLToPath(entryUrl)), file.bundlePath);
  return readFileSync(existsSync(beside) ? beside : localRequire.resolve(file.module), 'utf8');
};
