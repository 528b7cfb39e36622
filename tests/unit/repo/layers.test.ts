import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const sourceFiles = (folder: string): string[] =>
  readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.posix.join(folder, f.split(path.sep).join('/')));

/** Every module a file names: static imports, re-exports and dynamic `import()`. */
const specifiers = (text: string): string[] =>
  [...text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);

const LAYERS = ['shared/domain', 'shared/db'];

// One linter for the file: loading the flat config (typescript-eslint) is the slow part.
const eslint = new ESLint({ cwd: ROOT });

/** The import patterns lint refuses in a folder, as ESLint itself resolves the config for a file there. */
const refusedPatterns = async (folder: string): Promise<RegExp[]> => {
  const config = (await eslint.calculateConfigForFile(path.join(ROOT, folder, 'probe.ts'))) as { rules?: Record<string, unknown[]> };
  const options = config.rules?.['no-restricted-imports']?.[1] as { patterns?: Array<{ regex: string }> } | undefined;
  return (options?.patterns ?? []).map((p) => new RegExp(p.regex));
};

const lintRuleMessages = async (filePath: string, code: string): Promise<string[]> => {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

// Linting and reading every file of two folders takes seconds on a busy machine: a generous timeout, no claim about speed.
describe('layers point one way: shared/domain and shared/db never import shared/http', { timeout: 60_000 }, () => {
  it('no file under shared/domain or shared/db names a module its layer may not import', async () => {
    const offences: string[] = [];
    for (const folder of LAYERS) {
      const refused = await refusedPatterns(folder);
      expect(refused.some((p) => p.test('../http/errors.js')), `lint guards ${folder}`).toBe(true);
      for (const file of sourceFiles(folder)) {
        for (const spec of specifiers(readFileSync(path.join(ROOT, file), 'utf8'))) if (refused.some((p) => p.test(spec))) offences.push(`${file} imports ${spec}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('lint refuses an import of shared/http from the domain and from a repository, typed or not, however it climbs', async () => {
    expect(await lintRuleMessages('shared/db/probe.ts', "import { NotFound } from '../http/errors.js';\nexport const e = NotFound;\n")).toHaveLength(1);
    expect(await lintRuleMessages('shared/db/probe.ts', "import type { AuthContext } from '../../shared/http/auth.js';\nexport type A = AuthContext;\n")).toHaveLength(1);
    expect(await lintRuleMessages('shared/domain/journey/probe.ts', "export { problemFrom } from '../../http/problem.js';\n")).toHaveLength(1);
    expect(await lintRuleMessages('shared/domain/probe.ts', "import { getRecord } from './../db/records-repo.js';\nexport const g = getRecord;\n")).toHaveLength(1);
  });

  it('lint lets the edge import shared/http, and the layers import the domain', async () => {
    expect(await lintRuleMessages('functions/records/probe.ts', "import { httpErrorOf } from '../../shared/http/errors.js';\nexport const h = httpErrorOf;\n")).toEqual([]);
    expect(await lintRuleMessages('shared/db/probe.ts', "import { NotFound } from '../domain/errors.js';\nexport const e = NotFound;\n")).toEqual([]);
    expect(await lintRuleMessages('shared/domain/probe.ts', "import { createServer } from 'node:http';\nexport const s = createServer;\n")).toEqual([]);
  });
});
