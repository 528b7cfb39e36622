import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIfMatch } from '../../../shared/http/if-match.js';
import { Invalid, StaleVersion } from '../../../shared/domain/errors.js';
import { assertIfMatch, ifMatchAllows, versionGuard } from '../../../shared/domain/version-precondition.js';
import { buildOpenApi } from '../../../shared/http/openapi.js';
import { routes } from '../../../functions/routes.js';

describe('If-Match parsing (RFC 9110 §13.1.1)', () => {
  it.each([
    ['"3"', [3]],
    ['"1", "2"', [1, 2]],
    ['"1","2" ,  "9"', [1, 2, 9]],
    ['W/"12"', []],
    ['W/"1", "2"', [2]],
    ['"abc"', []],
    ['"abc", "4"', [4]],
    ['""', []],
  ])('%s → strong versions %j', (header, versions) => {
    expect(parseIfMatch(header)).toEqual({ kind: 'tags', versions });
  });

  it('absent → no precondition; * → any existing', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toEqual({ kind: 'any' });
    expect(parseIfMatch(' * ')).toEqual({ kind: 'any' });
  });

  it.each(['', ' ', '1', '7', '"1", 2', '"3', '3"', 'W/3', '"1" "2"', '"1",', ',', '*, "1"', 'w/"1"', '"a"b"', '3 4', '-1', '1e3', '"1"\n'])('refuses malformed %j with 400 naming the header', (header) => {
    let error: unknown;
    try {
      parseIfMatch(header);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).errors?.[0]?.path).toBe('If-Match');
  });

  it('never matches a weak tag (strong comparison), matches any listed strong tag', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 1e6 })), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 1e6 }), (tags, version) => {
        const header = tags.map(([weak, v]) => `${weak ? 'W/' : ''}"${v}"`).join(', ');
        const expected = tags.some(([weak, v]) => !weak && v === version);
        expect(ifMatchAllows(parseIfMatch(header), version)).toBe(expected);
      }),
    );
  });

  it('* and an absent header allow any existing version', () => {
    expect(ifMatchAllows(parseIfMatch('*'), 42)).toBe(true);
    expect(ifMatchAllows(undefined, 42)).toBe(true);
  });

  it('assertIfMatch throws 412 when no strong tag matches', () => {
    expect(() => assertIfMatch(parseIfMatch('W/"1"'), 1)).toThrow(StaleVersion);
    expect(() => assertIfMatch(parseIfMatch('"1", "2"'), 2)).not.toThrow();
  });
});

describe('versionGuard (options for a conditional write)', () => {
  it('pins the version for one strong tag, so that a lost race is a 412', async () => {
    const guard = versionGuard(parseIfMatch('"5"'));
    expect(guard.expectedVersion).toBe(5);
    await expect(guard.check({ version: 5 })).resolves.toBeUndefined();
  });

  it('checks a list against the version read, and runs the caller check first', async () => {
    const order: string[] = [];
    const guard = versionGuard(parseIfMatch('"1", "2"'), () => {
      order.push('access');
    });
    expect(guard.expectedVersion).toBeUndefined();
    await expect(guard.check({ version: 2 })).resolves.toBeUndefined();
    await expect(guard.check({ version: 3 })).rejects.toBeInstanceOf(StaleVersion);
    expect(order).toEqual(['access', 'access']);
  });

  it('lets an access refusal win over a failed precondition (no leak through 412)', async () => {
    const guard = versionGuard(parseIfMatch('W/"1"'), () => {
      throw new Invalid('refused');
    });
    await expect(guard.check({ version: 1 })).rejects.toBeInstanceOf(Invalid);
  });

  it('* and no header set no expected version', () => {
    expect(versionGuard(parseIfMatch('*')).expectedVersion).toBeUndefined();
    expect(versionGuard(undefined).expectedVersion).toBeUndefined();
  });
});

describe('the OpenAPI schema of If-Match', () => {
  const ifMatchSchema = (): { pattern?: string } => {
    const doc = buildOpenApi(routes, { title: 't', version: '1' }) as any;
    const ops = Object.values(doc.paths as Record<string, Record<string, any>>).flatMap((p) => Object.values(p));
    const param = ops.flatMap((op) => op.parameters ?? []).find((p: any) => p.in === 'header' && p.name === 'If-Match');
    expect(param).toBeDefined();
    return param.schema;
  };

  it('carries the pattern the server enforces: an unquoted 1 is refused by both', () => {
    const pattern = new RegExp(ifMatchSchema().pattern ?? '(?!)');
    for (const header of ['"1"', '*', 'W/"1", "2"', '"1","2" ,  "9"', '"abc"', '""']) {
      expect(pattern.test(header), header).toBe(true);
      expect(() => parseIfMatch(header)).not.toThrow();
    }
    for (const header of ['1', '"1", 2', 'W/1', '"1",', '*, "1"', '']) {
      expect(pattern.test(header), header).toBe(false);
      expect(() => parseIfMatch(header)).toThrow(Invalid);
    }
  }, 30_000); // building the whole OpenAPI document takes seconds on a busy machine
});
