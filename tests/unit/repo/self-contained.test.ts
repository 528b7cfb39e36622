import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every file git tracks, as a path relative to the repository root. */
const trackedFiles = (): string[] => execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);

const isText = (file: string): boolean => /\.(?:[cm]?[jt]s|json|md|ya?ml|sh|txt|html|css)$|(?:^|\/)\.[\w.-]+$|(?:^|\/)run$/.test(file) && !file.endsWith('package-lock.json');

/** The notes that planned this project live beside it, not in it; a reference to them dangles in a clone. */
const OUTSIDE_NOTES = new RegExp(`\\b(?:${['API', 'DESIGN', 'SCENARIO'].join('|')})\\.md\\b`);

/** Relative references that climb: `../x`, `../../y/z.ts`. */
const CLIMBING = /(?<![\w.])((?:\.\.\/)+[\w@.-][\w@./-]*)/g;

/** Relative link targets of Markdown links `[text](target)` (no scheme, no anchor-only). */
const MD_LINK = /\]\(((?![a-z][\w+.-]*:|#|\/)[^)\s#]+)(?:#[^)\s]*)?\)/gi;

/** What a file refers to that is not in the repository (empty when it is self-contained). */
export const outsideReferences = (file: string, text: string, tracked: ReadonlySet<string>): string[] => {
  const found: string[] = [];
  const dir = path.posix.dirname(file);
  for (const [i, line] of text.split('\n').entries()) {
    const at = `${file}:${i + 1}`;
    const note = OUTSIDE_NOTES.exec(line)?.[0];
    if (note && !tracked.has(note) && ![...tracked].some((t) => t.endsWith(`/${note}`))) found.push(`${at}: names ${note}, which is not in the repository`);
    for (const [, ref] of line.matchAll(CLIMBING)) {
      const resolved = path.posix.normalize(path.posix.join(dir, ref as string));
      if (resolved.startsWith('../') || resolved === '..') found.push(`${at}: ${ref} points outside the repository`);
    }
    if (file.endsWith('.md')) {
      for (const [, target] of line.matchAll(MD_LINK)) {
        const resolved = path.posix.normalize(path.posix.join(dir, target as string)).replace(/\/$/, '');
        const exists = tracked.has(resolved) || [...tracked].some((t) => t.startsWith(`${resolved}/`));
        if (!exists) found.push(`${at}: links ${target}, which is not in the repository`);
      }
    }
  }
  return found;
};

describe('the repository documents itself', () => {
  it('the detector catches references outside the repository and lets in-repo ones through', () => {
    const tracked = new Set(['README.md', 'shared/db/keys.ts', 'functions/records/x.ts', 'infra/local/events/README.md']);
    const notes = ['API', 'DESIGN'].map((n) => `${n}.md`);
    expect(outsideReferences('README.md', `See \`../shared/${notes[0]}\` for conventions.`, tracked)).toHaveLength(2);
    expect(outsideReferences('shared/http/x.ts', `/** Replays (${notes[0]}). */`, tracked)).toHaveLength(1);
    expect(outsideReferences('infra/x.ts', `'targets this on purpose (${notes[1]})'`, tracked)).toHaveLength(1);
    expect(outsideReferences('README.md', '[notes](../notes/plan.md)', tracked)).toHaveLength(2);
    expect(outsideReferences('README.md', '[events](infra/local/events/README.md) [gone](docs/missing.md)', tracked)).toEqual(['README.md:1: links docs/missing.md, which is not in the repository']);
    expect(outsideReferences('functions/records/x.ts', "import { k } from '../../shared/db/keys.js';", tracked)).toEqual([]);
    expect(outsideReferences('functions/records/x.ts', "import { k } from '../../../elsewhere/keys.js';", tracked)).toHaveLength(1);
  });

  it('no tracked file refers to a document outside the repository', () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(50);
    const tracked = new Set(files);
    const problems = files.filter((f) => isText(f) && existsSync(path.join(ROOT, f))).flatMap((f) => outsideReferences(f, readFileSync(path.join(ROOT, f), 'utf8'), tracked));
    expect(problems).toEqual([]);
  });
});
