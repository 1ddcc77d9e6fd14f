// Phone numbers for people, on libphonenumber-js's "min" metadata: the one reading of a typed
// number that every entry point uses (new conversation, contacts, the API, the CLI, search).
// The browser loads this module lazily (it is most of the islands' weight), so everything else
// must work before it arrives.
import {
  AsYouType,
  type CountryCode,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from "libphonenumber-js/min";
import { phoneShape } from "./address.ts";

/** Formats an E.164 number for people: national style at home, international abroad. */
export function formatPhone(e164: string, defaultCountry: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === defaultCountry ? parsed.formatNational() : parsed.formatInternational();
}

/** What a typed text is as a phone number. */
export type PhoneReading =
  /** A number: `vanity` is set when letters were read as keypad digits (`1-800-FLOWERS`). */
  | { kind: "phone"; e164: string; display: string; country: string | null; vanity: boolean }
  /** Digits still being typed: too few to judge yet. */
  | { kind: "partial"; display: string }
  /** Meant as a number but not one; `problem` says why, in words. */
  | { kind: "bad"; display: string; problem: string }
  /** Not a phone number at all (a name, an email address). */
  | { kind: "none" };

const KEYPAD: Record<string, string> = {};
for (
  const [digit, letters] of Object.entries({
    2: "ABC",
    3: "DEF",
    4: "GHI",
    5: "JKL",
    6: "MNO",
    7: "PQRS",
    8: "TUV",
    9: "WXYZ",
  })
) {
  for (const l of letters) KEYPAD[l] = digit;
}

function parse(text: string, country: CountryCode) {
  const parsed = parsePhoneNumberFromString(text, country);
  if (parsed?.isValid()) return parsed;
  // "00" is the international prefix across most of the world: read it as "+" when the default
  // country dials out another way (the US: 011) and the number made no sense otherwise.
  const intl = /^\s*00\s*([1-9].*)$/.exec(text);
  if (intl) {
    const plus = parsePhoneNumberFromString(`+${intl[1]}`);
    if (plus?.isValid()) return plus;
  }
  return parsed;
}

function lengthWords(text: string, country: CountryCode): string {
  switch (validatePhoneNumberLength(text, country)) {
    case "TOO_SHORT":
      return "too few digits";
    case "TOO_LONG":
      return "too many digits";
    case "INVALID_COUNTRY":
      return "no country code starts it";
    default:
      return `not a number in use${text.trim().startsWith("+") ? "" : ` in ${country}`}`;
  }
}

// Readings of recent texts: a team texts the same customers again and again, and one reading
// was two thirds of a send's time in Hatch's process under load (a CPU profile). The oldest
// goes first once the map is full.
const READINGS_KEPT = 5_000;
const readings = new Map<string, PhoneReading>();

/**
 * Reads text as people write a phone number — `(415) 555-2671`, `415.555.2671`,
 * `1 415 555 2671`, `+44 20 7946 0321`, `00 44 …`, `1-800-FLOWERS` — with `defaultCountry` for
 * national numbers. Text that looks like a number but is not one (`4155550100x`) is `bad`, with
 * the reason in words, never taken for a name.
 */
export function readPhone(text: string, defaultCountry: string): PhoneReading {
  const key = `${defaultCountry} ${text}`;
  let reading = readings.get(key);
  if (!reading) {
    reading = Object.freeze(read(text, defaultCountry));
    if (readings.size >= READINGS_KEPT) readings.delete(readings.keys().next().value!);
    readings.set(key, reading);
  }
  return reading;
}

function read(text: string, defaultCountry: string): PhoneReading {
  const t = text.trim();
  const country = defaultCountry as CountryCode;
  const shape = phoneShape(t);
  if (shape === "none") return { kind: "none" };
  // Grouped as typed: only a number that is not (yet) one is shown this way.
  const display = () => new AsYouType(country).input(t);
  if (shape === "vanity") {
    const digits = t.toUpperCase().replace(/[A-Z]/g, (l) => KEYPAD[l] ?? l);
    const parsed = parse(digits, country);
    if (parsed?.isValid()) {
      return {
        kind: "phone",
        e164: parsed.number,
        display: formatPhone(parsed.number, defaultCountry),
        country: parsed.country ?? null,
        vanity: true,
      };
    }
    // A few digits before a word is more likely a name ("101 Dalmatians") than a number.
    if (t.replace(/\D/g, "").length < 4) return { kind: "none" };
    return {
      kind: "bad",
      display: t,
      problem: `its letters make ${digits.replace(/[^\d+]/g, "")}: ${lengthWords(digits, country)}`,
    };
  }
  if (shape === "typo") {
    const letters = t.replace(/[^\p{L}]/gu, "");
    return {
      kind: "bad",
      display: t,
      problem: `a phone number has no letters (“${letters}”)`,
    };
  }
  const parsed = parse(t, country);
  if (parsed?.isValid()) {
    return {
      kind: "phone",
      e164: parsed.number,
      display: formatPhone(parsed.number, defaultCountry),
      country: parsed.country ?? null,
      vanity: false,
    };
  }
  if (validatePhoneNumberLength(t, country) === "TOO_SHORT" && !t.startsWith("00")) {
    return { kind: "partial", display: display() };
  }
  return { kind: "bad", display: display(), problem: lengthWords(t, country) };
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
  const r = readPhone(text, defaultCountry);
  if (r.kind === "phone") {
    return { valid: true, e164: r.e164, display: r.display, country: r.country };
  }
  return {
    valid: false,
    e164: null,
    display: r.kind === "none" ? text.trim() : r.display,
    country: null,
  };
}
