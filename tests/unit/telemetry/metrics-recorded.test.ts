import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUSINESS_METRICS } from '../../../shared/adapters/business-metrics.js';

const root = resolve(import.meta.dirname, '../../..');
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'ui' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.generated.ts') ? [path] : [];
  });

// The dashboard graphs every listed metric: a name nothing records would be an empty graph that
// looks like "nothing happened" to the people who run Keiro.
describe('business metrics', () => {
  const code = ['functions', 'shared', 'stepfunctions'].flatMap((d) => sources(join(root, d))).map((p) => readFileSync(p, 'utf8')).join('\n');
  it.each(Object.keys(BUSINESS_METRICS))('%s is recorded by the code', (name) => {
    expect(code).toMatch(new RegExp(`businessMetric\\(\\s*'${name}'`));
  });
});
