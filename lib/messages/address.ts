import { BadRequestError } from "@/lib/errors.ts";
import { readPhone } from "@/lib/shared/phone.ts";
import { isEmail } from "@/lib/shared/address.ts";

export { isEmail, looksLikePhone } from "@/lib/shared/address.ts";

/** Normalises a phone number as people write it to E.164, or throws a 400 naming it and why. */
export function toE164(text: string, defaultCountry: string, what = "Cannot send SMS to"): string {
  const r = readPhone(text, defaultCountry);
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
  if (readPhone(trimmed, defaultCountry).kind !== "none") {
    return { channel: "sms", address: toE164(trimmed, defaultCountry) };
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
