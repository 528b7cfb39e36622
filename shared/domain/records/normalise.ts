import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** E.164 form of a phone number, or undefined when it is not a valid number for the region. */
export const phoneToE164 = (value: string, defaultRegion: string): string | undefined => {
  const parsed = parsePhoneNumberFromString(value, defaultRegion as CountryCode);
  return parsed && parsed.isValid() ? parsed.number : undefined;
};

export const normaliseEmail = (value: string): string => value.trim().toLowerCase();

/** The form used for exact-match lookups and unique guards, by field type. */
export const normaliseForLookup = (type: string, value: unknown, defaultRegion: string): string | undefined => {
  if (value === null || value === undefined) return undefined;
  if (type === 'phone') return typeof value === 'string' ? phoneToE164(value, defaultRegion) : undefined;
  if (type === 'email') return typeof value === 'string' ? normaliseEmail(value) : undefined;
  if (type === 'text') return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (type === 'number') return typeof value === 'number' ? String(value) : undefined;
  return undefined;
};
