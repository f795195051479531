import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Ofcom reserves these UK ranges for drama and documentation (07700 900xxx, 020 7946 0xxx, 01632 960xxx, …).
 * libphonenumber calls them invalid because no subscriber can have them, but they are what our own docs
 * and customers' test suites use, so we accept them.
 */
const OFCOM_DRAMA = /^\+44(?:7700900\d{3}|2079460\d{3}|1632960\d{3}|(?:113|114|115|116|117|118|121|131|141|151|161)4960\d{3}|1914980\d{3})$/;

/** National UK input (07700 900123) or any international number → E.164, or null when impossible. */
export function normalisePhone(input: string): string | null {
  const trimmed = input.trim();
  if (!/^\+?[\d\s().-]{5,24}$/.test(trimmed)) return null;
  const parsed = parsePhoneNumberFromString(trimmed, 'GB');
  if (!parsed) return null;
  return parsed.isValid() || OFCOM_DRAMA.test(parsed.number) ? parsed.number : null;
}

const EMAIL_RE = /^[^\s@"'<>(),;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** The form in which emails are stored and compared: trimmed and lower-cased (clients and Hub users alike). */
export const emailKey = (input: string): string => input.trim().toLowerCase();

/** A valid email address in its stored form, or null. */
export function normaliseEmail(input: string): string | null {
  const e = emailKey(input);
  return e.length <= 254 && EMAIL_RE.test(e) ? e : null;
}
