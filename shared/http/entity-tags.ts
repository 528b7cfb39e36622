import { Invalid } from '../domain/errors.js';

/**
 * The grammar both conditional headers share (RFC 9110 §8.8.3, §13.1.1, §13.1.2):
 * `"*" / #entity-tag`, entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text,
 * list elements separated by OWS "," OWS. An unquoted `1` is not an entity tag: it is malformed.
 */
const ENTITY_TAG = String.raw`(?:W/)?"[\x21\x23-\x7e\x80-\xff]*"`;
const OWS = String.raw`[ \t]*`;

/** The whole header: `*`, or one or more entity tags. Also the OpenAPI `pattern` of If-Match and If-None-Match. */
export const ENTITY_TAG_LIST_PATTERN = `^${OWS}(?:\\*|${ENTITY_TAG}(?:${OWS},${OWS}${ENTITY_TAG})*)${OWS}$`;
const ENTITY_TAG_LIST = new RegExp(ENTITY_TAG_LIST_PATTERN);
const EACH_TAG = /(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"/g;

export const ENTITY_TAG_LIST_MESSAGE = 'Expected "*" or entity tags such as "3" (quoted, comma-separated)';

export interface EntityTag {
  weak: boolean;
  /** The quoted part, without its quotes. */
  opaque: string;
}
export type EntityTagCondition = { kind: 'any' } | { kind: 'tags'; tags: EntityTag[] };

export type ConditionalHeader = 'If-Match' | 'If-None-Match';

/** The header → `*` or its tags; malformed → 400 naming the header. */
export const parseEntityTagCondition = (header: string, name: ConditionalHeader): EntityTagCondition => {
  if (!ENTITY_TAG_LIST.test(header)) throw new Invalid(`Invalid ${name} header`, [{ path: name, message: ENTITY_TAG_LIST_MESSAGE }]);
  if (header.trim() === '*') return { kind: 'any' };
  return { kind: 'tags', tags: [...header.matchAll(EACH_TAG)].map(([, weak, opaque]) => ({ weak: weak !== undefined, opaque: opaque ?? '' })) };
};
