// Phone numbers for people, on libphonenumber-js's "min" metadata. The browser loads this module
// lazily (it is most of the islands' weight), so everything else must work before it arrives.
import { AsYouType, type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/min";

/** Formats an E.164 number for people: national style at home, international abroad. */
export function formatPhone(e164: string, defaultCountry: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === defaultCountry ? parsed.formatNational() : parsed.formatInternational();
}

/** What the "new conversation" field makes of a typed number. */
export interface PhoneCheck {
  valid: boolean;
  /** E.164 when valid. */
  e164: string | null;
  /** The number as the user is typing it, grouped as they would write it. */
  display: string;
  country: string | null;
}

/** Checks a number as it is typed, with the settings' default country for national numbers. */
export function checkPhone(text: string, defaultCountry: string): PhoneCheck {
  const country = defaultCountry as CountryCode;
  const display = new AsYouType(country).input(text.trim());
  const parsed = parsePhoneNumberFromString(text.trim(), country);
  if (!parsed || !parsed.isValid()) {
    return { valid: false, e164: null, display, country: parsed?.country ?? null };
  }
  return {
    valid: true,
    e164: parsed.number,
    display: formatPhone(parsed.number, defaultCountry),
    country: parsed.country ?? null,
  };
}
