/** The seed's conversation id: a UUID from the first 32 hex digits of sha256(sorted pair joined). */
export async function conversationId(a: string, b: string): Promise<string> {
  const joined = [a, b].sort().join("");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(joined));
  const hex = Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, "0")).join("")
    .slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
