import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { BadRequestError } from "@/lib/errors.ts";

/** Whether text looks like someone tried to write a phone number (digits, +, spaces, dashes). */
export function looksLikePhone(text: string): boolean {
  return /^[+\d(][\d\s().-]*$/.test(text.trim()) && /\d{3}/.test(text.replace(/\D/g, ""));
}

/** Normalises a phone number to E.164, or throws a 400 naming it. */
export function toE164(text: string, defaultCountry: string, what = "Cannot send SMS to"): string {
  const parsed = parsePhoneNumberFromString(text.trim(), defaultCountry as CountryCode);
  if (!parsed || !parsed.isValid()) {
    throw new BadRequestError(`${what} "${text}": not a valid phone number`);
  }
  return parsed.number;
}

/** An SMS (E.164 number) or an in-app chat contact (a plain name), decided from the text. */
export type Recipient = { channel: "sms"; address: string } | { channel: "chat"; address: string };

/** Reads a `to` field as the seed did: phone numbers go out by SMS, plain names are chat. */
export function parseRecipient(text: string, defaultCountry: string): Recipient {
  const trimmed = text.trim();
  if (!trimmed) throw new BadRequestError("Recipient is empty: give a phone number or a name");
  if (looksLikePhone(trimmed)) return { channel: "sms", address: toE164(trimmed, defaultCountry) };
  if (trimmed.length > 100) {
    throw new BadRequestError(
      `Recipient name is too long: ${trimmed.length} characters, at most 100`,
    );
  }
  return { channel: "chat", address: trimmed };
}

const EMAIL_RE = /^[^\s@<>(),;:"\[\]]+@[^\s@<>(),;:"\[\]]+\.[^\s@<>(),;:"\[\]]{2,}$/;

/** Whether text is a plain email address (`name@example.com`). */
export function isEmail(text: string): boolean {
  return text.length <= 254 && EMAIL_RE.test(text);
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
