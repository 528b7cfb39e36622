import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions, Metafile } from 'esbuild';
import ts from 'typescript';

/** The pure parts of the bundle benchmark (tests/bench/bundles.ts): options, imports, environment, metafile reading. */

/**
 * The esbuild build options that CDK's NodejsFunction derives from `bundling` (aws-lambda-nodejs
 * `Bundling.buildEsbuildArgs`: `--bundle --platform=node --target --format --minify --sourcemap
 * --sources-content --external --main-fields --banner:js …`), for the options Keiro uses. An option
 * this does not translate is refused, so the bench cannot silently bundle differently from CDK.
 */
export const esbuildOptionsFor = (bundling: BundlingOptions): BuildOptions => {
  const translated = new Set(['format', 'target', 'mainFields', 'banner', 'minify', 'sourceMap', 'sourceMapMode', 'sourcesContent', 'bundleAwsSDK', 'externalModules', 'forceDockerBundling', 'logLevel', 'commandHooks']);
  const unknown = Object.keys(bundling).filter((k) => !translated.has(k));
  if (unknown.length > 0) throw new Error(`tests/bench/bundles.ts does not translate NodejsFunction bundling option(s) ${unknown.join(', ')}`);
  if (bundling.sourceMapMode && bundling.sourceMapMode !== 'default') throw new Error(`sourceMapMode ${bundling.sourceMapMode} is not translated`);
  const externals = [...(bundling.bundleAwsSDK ? [] : ['@aws-sdk/*']), ...(bundling.externalModules ?? [])];
  return {
    bundle: true,
    platform: 'node',
    ...(bundling.target ? { target: bundling.target } : {}),
    ...(bundling.format ? { format: bundling.format } : {}),
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap || bundling.sourceMapMode ? true : false,
    sourcesContent: bundling.sourcesContent ?? true,
    external: externals,
    ...(bundling.mainFields ? { mainFields: [...bundling.mainFields] } : {}),
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    logLevel: bundling.logLevel ?? 'warning',
  };
};

/** Value imports of one AWS SDK package by a source file: named (`as` kept apart), default, namespace. */
export type SdkImports = Map<string, { named: Set<string>; defaultImport: boolean; namespace: boolean }>;

/**
 * The AWS SDK imports (`@aws-sdk/*`) of a TypeScript source that survive compilation: `import type`
 * and `type` specifiers are left out; `export … from` counts like an import.
 */
export const sdkImportsOf = (source: string, into: SdkImports = new Map()): SdkImports => {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const spec = statement.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('@aws-sdk/')) continue;
    const entry = into.get(spec.text) ?? { named: new Set<string>(), defaultImport: false, namespace: false };
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      if (clause.name) entry.defaultImport = true;
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) entry.namespace = true;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) if (!el.isTypeOnly) entry.named.add((el.propertyName ?? el.name).text);
      }
    } else {
      if (statement.isTypeOnly) continue;
      const clause = statement.exportClause;
      if (!clause || ts.isNamespaceExport(clause)) entry.namespace = true;
      else for (const el of clause.elements) if (!el.isTypeOnly) entry.named.add((el.propertyName ?? el.name).text);
    }
    if (entry.named.size > 0 || entry.defaultImport || entry.namespace) into.set(spec.text, entry);
  }
  return into;
};

/**
 * The entry of the SDK-only bundle: it re-exports exactly what the Lambda's own code imports from the
 * SDK, so esbuild keeps those (and only those) and the bundle loads them. Empty when there are none.
 */
export const sdkOnlyEntry = (imports: SdkImports): string =>
  [...imports.keys()]
    .sort()
    .map((pkg, i) => {
      const { named, defaultImport, namespace } = imports.get(pkg)!;
      if (namespace) return `export * as sdk${i} from '${pkg}';`;
      const names = [...named].sort().map((n) => `${n} as sdk${i}_${n}`);
      if (defaultImport) names.unshift(`default as sdk${i}_default`);
      return `export { ${names.join(', ')} } from '${pkg}';`;
    })
    .join('\n');

/**
 * The environment a bundle is loaded with: CDK's own values where they are plain strings, and for a
 * deploy-time token (a table name, a bus, an ARN) a harmless local stand-in of the same shape; the
 * region and (dummy) credentials Lambda always sets. No endpoint: the caller adds one if the entry
 * calls something at import.
 */
export const harmlessEnv = (environment: Record<string, unknown>): Record<string, string> => {
  const env: Record<string, string> = { AWS_REGION: 'ap-northeast-1', AWS_DEFAULT_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
  for (const [key, value] of Object.entries(environment)) {
    if (typeof value === 'string') env[key] = value;
    else env[key] = key.endsWith('_ARN') ? `arn:aws:states:ap-northeast-1:000000000000:stateMachine:bench-${key.toLowerCase()}` : `bench-${key.toLowerCase().replace(/_/g, '-')}`;
  }
  return env;
};

/** Project sources (not node_modules) that put bytes into the output: the code whose SDK imports count. */
export const projectInputs = (metafile: Metafile): string[] =>
  Object.values(metafile.outputs)
    .flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([file]) => file))
    .filter((file) => !file.includes('node_modules/') && /\.[cm]?tsx?$|\.[cm]?js$/.test(file));

/** Bytes each npm package (or `project` for our own code) puts into the output, largest first. */
export const bytesByPackage = (metafile: Metafile): Array<[string, number]> => {
  const by = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, input] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? 'project';
      by.set(pkg, (by.get(pkg) ?? 0) + input.bytesInOutput);
    }
  }
  return [...by].sort((a, b) => b[1] - a[1]);
};
