import { escapeHtml } from './template.js';

/**
 * An email to a customer (a contact's or lead's address, not a user of the organisation): it comes from
 * the organisation's display name, opens with a greeting and ends with the organisation's signature.
 * Its text is only what its own template names for the customer: internal notes never reach it.
 */
export interface CustomerLetter {
  /** The customer's name for the greeting (first and last name, or the record's name); else "Hello,". */
  name?: string;
  /** The organisation's display name: the From name and the signature. */
  senderName: string;
}

/** A greeting the template already opens with is kept (no second one). */
const OPENS_WITH_GREETING = /^\s*(?:<p>\s*)?(?:dear|hello|hi|good (?:morning|afternoon|evening))\b/i;

const greetingOf = (letter: CustomerLetter): string => (letter.name ? `Dear ${letter.name},` : 'Hello,');

/** The plain text: greeting, the template's text, the signature (each once). */
export const customerText = (text: string, letter: CustomerLetter): string => {
  const body = text.trim();
  const opened = OPENS_WITH_GREETING.test(body) ? body : `${greetingOf(letter)}\n\n${body}`;
  return opened.endsWith(letter.senderName) ? opened : `${opened}\n\n${letter.senderName}`;
};

/** The HTML alternative, likewise (names escaped). */
export const customerHtml = (html: string, letter: CustomerLetter): string => {
  const body = html.trim();
  const opened = OPENS_WITH_GREETING.test(body) ? body : `<p>${escapeHtml(greetingOf(letter))}</p>\n${body}`;
  return opened.includes(escapeHtml(letter.senderName)) ? opened : `${opened}\n<p>${escapeHtml(letter.senderName)}</p>`;
};

/** `"Display Name" <address>`: never a bare address (quotes, backslashes and line breaks in the name become spaces). */
export const fromWithName = (senderName: string, address: string): string => `"${senderName.replace(/[\r\n"\\]/g, ' ').trim()}" <${address}>`;

/** The customer's name from their record: first and last name, else its `name`. */
export const customerNameOf = (fields: Readonly<Record<string, unknown>>): string | undefined => {
  const parts = [fields.firstName, fields.lastName].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  if (parts.length > 0) return parts.join(' ');
  return typeof fields.name === 'string' && fields.name.trim() !== '' ? fields.name : undefined;
};
