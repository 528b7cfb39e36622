import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README.md files are the project's documentation, one beside each area's code and the front door
// at the top. They link to each other by relative path and #anchor: a moved section or a renamed
// heading must not leave a link behind that leads nowhere.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Every README.md in the repository, committed or not yet (ignored files excluded). */
const readmes = (): string[] =>
  execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file === 'README.md' || file.endsWith('/README.md'))
    .filter((file) => existsSync(path.join(ROOT, file)));

/** The text outside fenced code blocks (a `# comment` in a shell block is no heading, a `](x)` in code no link). */
const proseLines = (markdown: string): string[] => {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
};

/** GitHub's anchor for a heading: lower case, inline markup and punctuation dropped, spaces to hyphens. */
export const headingSlug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** The anchors a Markdown document offers; a repeated heading gets `-1`, `-2`… as on GitHub. */
export const anchorsOf = (markdown: string): Set<string> => {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1];
    if (!heading) continue;
    const slug = headingSlug(heading);
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
};

/** Inline links `[text](target)` and images, skipping those with a scheme (`https:`, `mailto:`) or an absolute path. */
const LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

/** What is wrong with each relative link of one document (empty when every link resolves). */
export const brokenLinks = (file: string, markdown: string, read: (file: string) => string | undefined): string[] => {
  const problems: string[] = [];
  for (const [i, line] of proseLines(markdown).entries()) {
    const withoutCode = line.replace(/`[^`]*`/g, '');
    for (const [, target] of withoutCode.matchAll(LINK)) {
      const link = target as string;
      if (/^[a-z][\w+.-]*:/i.test(link) || link.startsWith('/')) continue;
      const [pathPart = '', anchor] = link.split('#', 2);
      const targetFile = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(pathPart))).replace(/\/$/, '');
      const at = `${file}:${i + 1}: ${link}`;
      if (targetFile.startsWith('../')) {
        problems.push(`${at} points outside the repository`);
        continue;
      }
      const text = read(targetFile);
      if (text === undefined) {
        problems.push(`${at}: ${targetFile} does not exist`);
        continue;
      }
      if (anchor !== undefined && targetFile.endsWith('.md') && !anchorsOf(text).has(anchor)) {
        problems.push(`${at}: ${targetFile} has no heading #${anchor}`);
      }
    }
  }
  return problems;
};

/** A repository file's text; '' for a directory (a link to a folder is fine), undefined when absent. */
const readRepoFile = (file: string): string | undefined => {
  const full = path.join(ROOT, file);
  if (!existsSync(full)) return undefined;
  return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
};

describe('README links', () => {
  it('finds the front door and the READMEs beside the code', () => {
    const found = readmes();
    expect(found).toContain('README.md');
    expect(found).toContain('infra/README.md');
    expect(found).toContain('tests/README.md');
    expect(found).toContain('functions/cadences/README.md');
  });

  it('every relative link and #anchor in every README.md resolves', () => {
    const problems = readmes().flatMap((file) => brokenLinks(file, readFileSync(path.join(ROOT, file), 'utf8'), readRepoFile));
    expect(problems).toEqual([]);
  });

  it('the front door stays short', () => {
    const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length;
    expect(lines).toBeLessThanOrEqual(300);
  });
});

describe('the link checker', () => {
  const files: Record<string, string> = {
    'a/README.md': '# Title\n\n## The demo\'s users\n\n## SES: verify the `domain`\n\n## Repeat\n\n## Repeat\n',
    'a/code.ts': 'export {};\n',
  };
  const read = (file: string): string | undefined => files[file];

  it('makes GitHub anchors of headings', () => {
    expect(headingSlug("The demo's users")).toBe('the-demos-users');
    expect(headingSlug('Team spaces and the permission model (CRM for Everyone)')).toBe('team-spaces-and-the-permission-model-crm-for-everyone');
    expect(headingSlug('The demo: `npm run demo`')).toBe('the-demo-npm-run-demo');
    expect([...anchorsOf(files['a/README.md'] as string)]).toEqual(['title', 'the-demos-users', 'ses-verify-the-domain', 'repeat', 'repeat-1']);
  });

  it('ignores headings and links inside code', () => {
    const doc = '```bash\n# not a heading\necho "[x](missing.md)"\n```\n`[y](missing.md)`\n';
    expect(anchorsOf(doc).size).toBe(0);
    expect(brokenLinks('README.md', doc, read)).toEqual([]);
  });

  it('accepts links that resolve, and external ones', () => {
    const doc = '[u](a/README.md#the-demos-users) [c](a/code.ts) [d](a/) [w](https://example.com/x#y) [m](mailto:x@y.z)';
    expect(brokenLinks('README.md', doc, (file) => (file === 'a' ? '' : read(file)))).toEqual([]);
    expect(brokenLinks('a/README.md', '[t](#title) [r](#repeat-1)', read)).toEqual([]);
  });

  it('names a missing file, a missing anchor and a link leaving the repository', () => {
    const doc = '[1](a/gone.md) [2](a/README.md#nowhere) [3](#title)\n[4](../outside.md)';
    expect(brokenLinks('README.md', doc, read)).toEqual([
      'README.md:1: a/gone.md: a/gone.md does not exist',
      'README.md:1: a/README.md#nowhere: a/README.md has no heading #nowhere',
      'README.md:1: #title: README.md does not exist',
      'README.md:2: ../outside.md points outside the repository',
    ]);
  });
});
