/**
 * The header block of a raw mail (RFC 5322), which is all the reply processor reads: recipients,
 * subject and the auto-reply markers. Bodies are never decoded, so no charset tables are bundled:
 * encoded words (RFC 2047) are decoded with the runtime's TextDecoder (Node's full ICU: UTF-8,
 * ISO-2022-JP, Shift_JIS, ISO-8859-*, windows-125x, GBK, Big5, EUC-KR…).
 */
export interface MailHeaders {
  /** Every value of each header, lower-cased name, unfolded and decoded, in order of appearance. */
  all: ReadonlyMap<string, readonly string[]>;
  /** The first value of each header. */
  first: ReadonlyMap<string, string>;
}

/** The text of a header block: UTF-8 when it is valid UTF-8 (RFC 6532), else byte for byte (latin1). */
const headerText = (raw: string | Uint8Array): string => {
  if (typeof raw === 'string') return raw;
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const crlf = bytes.indexOf('\r\n\r\n');
  const end = crlf >= 0 ? crlf : bytes.indexOf('\n\n');
  const block = end >= 0 ? bytes.subarray(0, end) : bytes;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(block);
  } catch {
    return block.toString('latin1');
  }
};

const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;

const wordBytes = (encoding: string, text: string): Buffer =>
  encoding.toLowerCase() === 'b'
    ? Buffer.from(text, 'base64')
    : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');

const decodeBytes = (charset: string, bytes: Buffer): string | undefined => {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return undefined; // a charset the runtime does not know: the word stays as written
  }
};

/**
 * Decodes the encoded words of a header value. Adjacent words (only whitespace between them) join,
 * and their bytes are decoded together when they share a charset: a character may span two words.
 */
export const decodeEncodedWords = (value: string): string => {
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: Buffer[]; source: string } | undefined;
  const flush = (): void => {
    if (pending) out += decodeBytes(pending.charset, Buffer.concat(pending.bytes)) ?? pending.source;
    pending = undefined;
  };
  for (const m of value.matchAll(ENCODED_WORD)) {
    const [word, charset = '', encoding = '', text = ''] = m;
    const between = value.slice(last, m.index);
    const adjacent = pending !== undefined && /^[ \t]*$/.test(between);
    if (!adjacent) {
      flush();
      out += between;
    }
    if (pending && pending.charset.toLowerCase() === charset.toLowerCase()) {
      pending.bytes.push(wordBytes(encoding, text));
      pending.source += word;
    } else {
      flush();
      pending = { charset, bytes: [wordBytes(encoding, text)], source: word };
    }
    last = m.index + word.length;
  }
  flush();
  return out + value.slice(last);
};

/** Parses the header block (everything before the first empty line) of a raw mail. */
export const parseMailHeaders = (raw: string | Uint8Array): MailHeaders => {
  const text = headerText(raw);
  const block = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const all = new Map<string, string[]>();
  for (const line of block.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[!-9;-~]+$/.test(name)) continue;
    const value = decodeEncodedWords(line.slice(colon + 1).trim());
    const values = all.get(name);
    if (values) values.push(value);
    else all.set(name, [value]);
  }
  return { all, first: new Map([...all].map(([name, values]) => [name, values[0] ?? ''])) };
};

/** Quoted strings and comments removed (they may hold commas, `<`, `@`), keeping the rest. */
const withoutQuotesAndComments = (value: string): string => {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && (quoted || depth > 0)) {
      i++;
      continue;
    }
    if (quoted) {
      if (c === '"') quoted = false;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) {
      if (c === '"') quoted = true;
      else out += c;
    }
  }
  return out;
};

/**
 * The addresses of an address-list header (To, Cc, Delivered-To), lower-cased: `Name <a@b>`, bare
 * `a@b`, groups (`team: a@b, c@d;`); display names, quoted strings and comments are skipped.
 */
export const addressesOf = (value: string): string[] =>
  withoutQuotesAndComments(value)
    .split(/[,;]/)
    .flatMap((part) => {
      const bracketed = /<([^<>]*)>/.exec(part)?.[1];
      // Outside brackets, what precedes a colon is a group's name (`team: a@b`).
      const address = (bracketed ?? part.slice(part.lastIndexOf(':') + 1)).trim().toLowerCase();
      return /^[^\s@]+@[^\s@]+$/.test(address) ? [address] : [];
    });
