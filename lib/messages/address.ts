import { BadRequestError } from "@/lib/errors.ts";
import { type PhoneReading, readPhone } from "@/lib/shared/phone.ts";
import { isEmail } from "@/lib/shared/address.ts";

export { isEmail, looksLikePhone } from "@/lib/shared/address.ts";

const CANNOT_SEND = "Cannot send SMS to";

/** Normalises a phone number as people write it to E.164, or throws a 400 naming it and why. */
export function toE164(text: string, defaultCountry: string, what = CANNOT_SEND): string {
  return e164Of(readPhone(text, defaultCountry), text, what);
}

// The number a reading of `text` gives, or the 400 that says why there is none.
function e164Of(r: PhoneReading, text: string, what: string): string {
  if (r.kind === "phone") return r.e164;
  const why = r.kind === "bad" ? r.problem : r.kind === "partial" ? "too few digits" : "";
  throw new BadRequestError(`${what} "${text}": not a valid phone number${why ? ` (${why})` : ""}`);
}

/** An SMS (E.164 number) or an in-app chat contact (a plain name), decided from the text. */
export type Recipient = { channel: "sms"; address: string } | { channel: "chat"; address: string };

/**
 * Reads a `to` field as the seed did: phone numbers go out by SMS, plain names are chat; text
 * that looks like a number but is not one is refused in words, never taken for a name.
 */
export function parseRecipient(text: string, defaultCountry: string): Recipient {
  const trimmed = text.trim();
  if (!trimmed) throw new BadRequestError("Recipient is empty: give a phone number or a name");
  // Read once: under load, reading numbers was a tenth of Hatch's busy time (a CPU profile).
  const reading = readPhone(trimmed, defaultCountry);
  if (reading.kind !== "none") {
    return { channel: "sms", address: e164Of(reading, trimmed, CANNOT_SEND) };
  }
  if (trimmed.length > 100) {
    throw new BadRequestError(
      `Recipient name is too long: ${trimmed.length} characters, at most 100`,
    );
  }
  return { channel: "chat", address: trimmed };
}

/** Splits a comma-separated list of addresses, checking each; throws a 400 naming a bad one. */
export function parseEmailList(text: string | undefined, field: string): string[] {
  if (!text) return [];
  const list = text.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
  for (const a of list) {
    if (!isEmail(a)) throw new BadRequestError(`${field}: "${a}" is not a valid email address`);
  }
  return list.map((a) => a.toLowerCase());
}
