import { createHash } from "node:crypto";

/** A URL-safe random secret of `bytes` random bytes. */
export function randomToken(bytes = 32): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw)).replaceAll("+", "-").replaceAll("/", "_").replaceAll(
    "=",
    "",
  );
}

/** Hex SHA-256 of a string: how session and token secrets are stored. */
export function sha256Hex(text: string): string {
  // node:crypto's hash is synchronous and several times cheaper than WebCrypto's digest for
  // short inputs, and it runs on every authenticated request.
  return createHash("sha256").update(text).digest("hex");
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
