/**
 * Request media types (RFC 9110 §8.3): a route takes JSON unless its spec declares other types on
 * purpose (e.g. an RFC 8058 one-click unsubscribe takes `application/x-www-form-urlencoded`).
 */
export const JSON_MEDIA_TYPE = 'application/json';
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

interface MediaType {
  essence: string;
  params: Record<string, string>;
}

/** `Type/Sub+Suffix ; name="Value"` → lower-cased essence and parameters (charset values lower-cased too). */
export const parseMediaType = (header: string): MediaType | undefined => {
  const [head, ...rest] = header.split(';');
  const essence = (head ?? '').trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(essence)) return undefined;
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    params[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return { essence, params };
};

/** JSON is `application/json` or any `application/<x>+json`, in UTF-8 (RFC 8259 §8.1). */
export const isJsonMediaType = (header: string): boolean => {
  const type = parseMediaType(header);
  if (!type) return false;
  const charset = type.params.charset;
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return false;
  return type.essence === JSON_MEDIA_TYPE || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(type.essence);
};

/** Does the Content-Type header name one of the accepted types (JSON matching every `+json`)? */
export const acceptsMediaType = (accepted: readonly string[], header: string | undefined): boolean => {
  if (header === undefined) return false;
  return accepted.some((type) => (type === JSON_MEDIA_TYPE ? isJsonMediaType(header) : parseMediaType(header)?.essence === type));
};
