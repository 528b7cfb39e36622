import type { IfMatch } from '../domain/version-precondition.js';
import { Invalid } from '../domain/errors.js';

/* Parses `If-Match` into the domain's version precondition (shared/domain/version-precondition.ts). */

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text. A bare number is also
// taken as a strong tag (lenient: clients that drop the quotes).
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$|^(\d{1,15})$/;

const malformed = (): Invalid =>
  new Invalid('Invalid If-Match header', [{ path: 'If-Match', message: 'Expected "*" or entity tags such as "3" (comma-separated)' }]);

/** `If-Match` → its precondition; absent → undefined; malformed → 400 naming the header. */
export const parseIfMatch = (header: string | undefined): IfMatch | undefined => {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return { kind: 'any' };
  const versions: number[] = [];
  for (const part of header.split(',')) {
    const tag = ENTITY_TAG.exec(part.replace(/^[ \t]+|[ \t]+$/g, ''));
    if (!tag) throw malformed();
    const [, weak, opaque, bare] = tag;
    const value = bare ?? opaque ?? '';
    if (!weak && /^\d{1,15}$/.test(value)) versions.push(Number(value));
  }
  return { kind: 'tags', versions };
};
