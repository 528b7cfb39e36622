import { describe, expect, it } from 'vitest';
import { customerHtml, customerNameOf, customerText, fromWithName } from '../../../shared/domain/actions/customer-email.js';

const letter = { name: 'Mika Honda', senderName: 'Keiro Travel' };

describe('customer emails: greeting, signature, the organisation as sender', () => {
  it.each([
    ['adds a greeting and the signature', 'Your trip now departs on May 8.', 'Dear Mika Honda,\n\nYour trip now departs on May 8.\n\nKeiro Travel'],
    ['keeps a greeting the template has', 'Dear Mika, welcome back!', 'Dear Mika, welcome back!\n\nKeiro Travel'],
    ['keeps a signature the template has', 'Hello Mika,\n\nThanks.\n\nKeiro Travel', 'Hello Mika,\n\nThanks.\n\nKeiro Travel'],
  ])('%s', (_name, text, expected) => {
    expect(customerText(text, letter)).toBe(expected);
  });

  it('greets "Hello," when the record has no name, and escapes names in HTML', () => {
    expect(customerText('Thanks.', { senderName: 'Keiro Travel' })).toBe('Hello,\n\nThanks.\n\nKeiro Travel');
    expect(customerHtml('<p>Thanks.</p>', { name: '<Mika>', senderName: 'A & B' })).toBe('<p>Dear &lt;Mika&gt;,</p>\n<p>Thanks.</p>\n<p>A &amp; B</p>');
  });

  it('From carries the display name, never a bare address; a name cannot break the header', () => {
    expect(fromWithName('Keiro Travel', 'no-reply@keiro.example')).toBe('"Keiro Travel" <no-reply@keiro.example>');
    expect(fromWithName('Evil"\r\nBcc: x@y', 'no-reply@keiro.example')).toBe('"Evil   Bcc: x@y" <no-reply@keiro.example>');
  });

  it('names the customer from first and last name, else the record name', () => {
    expect(customerNameOf({ firstName: 'Mika', lastName: 'Honda' })).toBe('Mika Honda');
    expect(customerNameOf({ lastName: 'Honda' })).toBe('Honda');
    expect(customerNameOf({ name: 'Acme' })).toBe('Acme');
    expect(customerNameOf({ firstName: ' ' })).toBeUndefined();
  });
});
