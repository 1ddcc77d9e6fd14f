import { createHash } from "node:crypto";

/** The seed's conversation id: a UUID from the first 32 hex digits of sha256(sorted pair joined). */
export function conversationId(a: string, b: string): string {
  const hex = createHash("sha256").update([a, b].sort().join("")).digest("hex").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
