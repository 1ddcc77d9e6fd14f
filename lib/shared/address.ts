// The browser's copies of the server's address rules (lib/messages/address.ts), kept free of
// libphonenumber's metadata so the islands stay small; the server still has the last word.

/**
 * How text is shaped as a phone number, before any metadata is at hand: `digits` (digits and
 * the punctuation people put between them), `vanity` (digits, then a word on the keypad:
 * `1-800-FLOWERS`), `typo` (a number with a stray letter: `4155550100x`) or `none` (a name).
 */
export function phoneShape(text: string): "digits" | "vanity" | "typo" | "none" {
  const t = text.trim();
  if (!/^[+(\d]/.test(t)) return "none";
  const digits = t.replace(/\D/g, "").length;
  if (/^[+(\d][\d\s()./-]*$/.test(t)) return digits >= 3 || /^[+(]/.test(t) ? "digits" : "none";
  if (/^\+?[\d\s().-]*\d[\s().-]*[A-Za-z]{3,}[A-Za-z\d\s.-]*$/.test(t)) return "vanity";
  return digits >= 5 ? "typo" : "none";
}

/** Whether text looks like someone tried to write a phone number (see `phoneShape`). */
export function looksLikePhone(text: string): boolean {
  return phoneShape(text) !== "none";
}

const EMAIL_RE = /^[^\s@<>(),;:"\[\]]+@[^\s@<>(),;:"\[\]]+\.[^\s@<>(),;:"\[\]]{2,}$/;

/** Whether text is a plain email address (`name@example.com`). */
export function isEmail(text: string): boolean {
  return text.length <= 254 && EMAIL_RE.test(text);
}

/** Checks a comma-separated list of addresses; returns the first problem in words, or null. */
export function emailListProblem(
  text: string,
  options: { required: boolean; single?: boolean },
): string | null {
  const list = text.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
  if (!list.length) return options.required ? "Enter an email address" : null;
  if (options.single && list.length > 1) return "Enter one address here; add others in Cc";
  const bad = list.find((a) => !isEmail(a));
  return bad ? `"${bad}" is not a valid email address` : null;
}

/** Initials for an avatar: two letters of a name, or null for a bare number. */
export function initials(label: string): string | null {
  if (looksLikePhone(label)) return null;
  const words = label.replace(/@.*$/, "").split(/[\s._-]+/).filter((w) => /\p{L}/u.test(w));
  if (!words.length) return null;
  const first = Array.from(words[0])[0] ?? "";
  const second = words.length > 1 ? Array.from(words[words.length - 1])[0] ?? "" : "";
  return (first + second).toUpperCase();
}

/** A stable hue (0-359) for an address, so a contact keeps its avatar colour everywhere. */
export function hueOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h % 360;
}
