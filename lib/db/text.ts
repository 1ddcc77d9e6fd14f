// PostgreSQL text cannot hold NUL, and a lone surrogate is not Unicode (it fails in jsonb). Text
// that a provider sends us is kept rather than refused (refusing would lose a customer's
// message), with U+FFFD standing for what cannot be stored.

/** `text` with NUL and lone surrogates replaced by U+FFFD, so PostgreSQL can store it. */
export function storableText(text: string): string {
  return text.replaceAll("\u0000", "\uFFFD").toWellFormed();
}

/** A copy of `value` with every string in it (keys too) made storable; bytes are left as is. */
export function storableDeep<T>(value: T): T {
  if (typeof value === "string") return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableDeep) as T;
  if (typeof value !== "object" || value === null || ArrayBuffer.isView(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [storableText(k), storableDeep(v)]),
  ) as T;
}
