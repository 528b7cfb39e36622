/**
 * EventBridge `wildcard` patterns: `*` matches any run of characters (including none), `\*` is a
 * literal asterisk, `\\` a literal backslash. Any other escape, and `**`, are rejected as AWS does.
 */

/** The literal pieces between the wildcards: `a*b*c` → ["a", "b", "c"], `*x` → ["", "x"]. */
export type WildcardSegments = readonly string[];

/** Parses a wildcard pattern, or returns the reason it is invalid. */
export const parseWildcard = (pattern: string): WildcardSegments | string => {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*') {
      if (pattern[i + 1] === '*') return `consecutive wildcard characters at index ${i}`;
      segments.push(current);
      current = '';
    } else if (char === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') return `invalid escape at index ${i}: only \\* and \\\\ are allowed`;
      current += next;
      i++;
    } else {
      current += char;
    }
  }
  segments.push(current);
  return segments;
};

/**
 * Whole-string glob match. Greedy leftmost placement of the middle pieces is complete for
 * `*`-only globs, so this runs in linear-ish time with no backtracking blow-up.
 */
export const wildcardMatches = (segments: WildcardSegments, value: string): boolean => {
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  const end = value.length - last.length;
  if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let position = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const piece = segments[i] ?? '';
    const found = value.indexOf(piece, position);
    if (found < 0 || found + piece.length > end) return false;
    position = found + piece.length;
  }
  return true;
};
