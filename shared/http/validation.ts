import type { z } from 'zod';
import { Invalid, type FieldError } from '../domain/errors.js';

/** zod issues → field errors with dotted paths (`fields.email`, `items.0.name`). */
export const toFieldErrors = (error: z.ZodError, prefix?: string): FieldError[] =>
  error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== undefined && p !== '').join('.');
    return { path: path || (prefix ?? '(root)'), message: issue.message };
  });

/** Parses with the schema or throws a 400 listing every field at fault. */
export const parseOrThrow = <S extends z.ZodType>(schema: S, value: unknown, what: string, prefix?: string): z.infer<S> => {
  const result = schema.safeParse(value);
  if (!result.success) throw new Invalid(`Invalid ${what}`, toFieldErrors(result.error, prefix));
  return result.data;
};
