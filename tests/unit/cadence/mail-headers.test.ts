import { describe, expect, it } from 'vitest';
import { addressesOf, decodeEncodedWords, parseMailHeaders } from '../../../shared/domain/cadence/mail-headers.js';

/** 自動返信 in ISO-2022-JP, the charset Japanese mail clients still send. */
const ISO_2022_JP = Buffer.from([0x1b, 0x24, 0x42, 0x3c, 0x2b, 0x46, 0x30, 0x4a, 0x56, 0x3f, 0x2e, 0x1b, 0x28, 0x42]);

describe('mail headers (the reply processor reads only these)', () => {
  it('unfolds folded lines, lower-cases names, keeps every value of a repeated header and stops at the body', () => {
    const raw = ['Delivered-To: first@x.example', 'Delivered-To: second@x.example', 'Subject: a long', ' \tsubject', 'X-Autoreply: yes', '', 'Subject: in the body'].join('\r\n');
    const headers = parseMailHeaders(Buffer.from(raw));
    expect(headers.all.get('delivered-to')).toEqual(['first@x.example', 'second@x.example']);
    expect(headers.first.get('subject')).toBe('a long \tsubject');
    expect(headers.first.get('x-autoreply')).toBe('yes');
    expect(headers.all.get('subject')).toHaveLength(1);
  });

  it('decodes B and Q encoded words, joining adjacent words whose bytes split a character', () => {
    const utf8 = Buffer.from('Réponse automatique 自動返信', 'utf8');
    const halves = [utf8.subarray(0, 23), utf8.subarray(23)].map((b) => `=?UTF-8?B?${b.toString('base64')}?=`);
    expect(decodeEncodedWords(halves.join(' '))).toBe('Réponse automatique 自動返信');
    expect(decodeEncodedWords('=?iso-8859-1?Q?R=E9ponse_automatique?= : absent')).toBe('Réponse automatique : absent');
    expect(decodeEncodedWords(`Re: =?ISO-2022-JP?B?${ISO_2022_JP.toString('base64')}?=`)).toBe('Re: 自動返信');
    expect(decodeEncodedWords('=?x-unknown-charset?B?YWJj?= plain')).toBe('=?x-unknown-charset?B?YWJj?= plain');
  });

  it('reads raw UTF-8 headers (RFC 6532) and falls back to latin1 for other 8-bit bytes', () => {
    expect(parseMailHeaders(Buffer.from('Subject: 不在のお知らせ\r\n\r\nbody', 'utf8')).first.get('subject')).toBe('不在のお知らせ');
    expect(parseMailHeaders(Buffer.from([...Buffer.from('Subject: caf'), 0xe9, 0x0d, 0x0a, 0x0d, 0x0a])).first.get('subject')).toBe('café');
  });

  it('finds the addresses of an address list, whatever the display names, quotes, comments and groups hold', () => {
    expect(addressesOf('"Doe, Jane <jane@evil.example>" <Reply+01ARZ3NDEKTSV4RRFFQ69G5FAV@Mail.Example>, bob@x.example (Bob, a@b.example)')).toEqual([
      'reply+01arz3ndektsv4rrffq69g5fav@mail.example',
      'bob@x.example',
    ]);
    expect(addressesOf('team: a@x.example, "B" <b@x.example>;, c@x.example')).toEqual(['a@x.example', 'b@x.example', 'c@x.example']);
    expect(addressesOf('undisclosed-recipients:;')).toEqual([]);
    expect(addressesOf('not an address, <>, @, a@')).toEqual([]);
  });
});

describe('mail headers: hostile input', () => {
  it('reads a 1 MB address header and 20,000 repeated headers in linear time, finding what they hold', () => {
    const long = `${'x'.repeat(1_000_000)}"(<, a@b.example`;
    expect(addressesOf(long)).toEqual([]);
    const many = `${'Delivered-To: a@x.example\r\n'.repeat(20_000)}To: <reply+01arz3ndektsv4rrffq69g5fav@mail.example>\r\n\r\n`;
    const headers = parseMailHeaders(Buffer.from(many));
    expect(headers.all.get('delivered-to')).toHaveLength(20_000);
    expect(addressesOf(headers.first.get('to') ?? '')).toEqual(['reply+01arz3ndektsv4rrffq69g5fav@mail.example']);
  });

  it('keeps an unterminated encoded word, an empty header block and a line without a name as they are', () => {
    expect(decodeEncodedWords('=?UTF-8?B?YWJj')).toBe('=?UTF-8?B?YWJj');
    expect(parseMailHeaders('\r\n\r\nTo: a@b.example').all.size).toBe(0);
    expect(parseMailHeaders(': no name\r\nSubject: s').first.get('subject')).toBe('s');
  });
});
