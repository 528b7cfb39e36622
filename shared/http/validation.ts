import type { z } from 'zod';
import { Invalid, type FieldError } from '../domain/errors.js';

type Issue = z.core.$ZodIssue;

/** How deep an issue goes, following into the option of a nested union that got furthest. */
const depth = (issue: Issue): number => issue.path.length + (issue.code === 'invalid_union' && issue.errors.length > 0 ? Math.max(...issue.errors.map(reach)) : 0);

/**
 * How well an option of a union fits: the deepest path it reached first, then fewer issues; an
 * option whose shape has keys it does not know fits worst.
 */
function reach(issues: readonly Issue[]): number {
  const unknownKeys = issues.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
  return Math.max(0, ...issues.map(depth)) - (unknownKeys ? 0.5 : 0) - issues.length / 1000;
}

/**
 * A value that fits no option of a union is reported where the option it came closest to failed
 * (`criteria.all.2.op`), not as "Invalid input" at the union.
 */
const closest = (issue: Issue): Issue[] => {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const best = issue.errors.reduce((a, b) => (reach(b) > reach(a) ? b : a));
  if (reach(best) <= 0) return [issue];
  return best.flatMap((inner) => closest({ ...inner, path: [...issue.path, ...inner.path] } as Issue));
};

/** zod issues → field errors with dotted paths (`fields.email`, `items.0.name`). */
export const toFieldErrors = (error: z.ZodError, prefix?: string): FieldError[] =>
  error.issues.flatMap(closest).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.');
    return { path: path || (prefix ?? '(root)'), message: issue.message };
  });

/** Parses with the schema or throws a 400 listing every field at fault. */
export const parseOrThrow = <S extends z.ZodType>(schema: S, value: unknown, what: string, prefix?: string): z.infer<S> => {
  const result = schema.safeParse(value);
  if (!result.success) throw new Invalid(`Invalid ${what}`, toFieldErrors(result.error, prefix));
  return result.data;
};
