import { BadRequestError } from "@/lib/errors.ts";

/** A keyset position: the row's time and id, newest-first order. */
export interface Cursor {
  at: string;
  id: string;
}

/** Encodes a keyset position as an opaque URL-safe string. */
export function encodeCursor(at: Date | string, id: string): string {
  const iso = at instanceof Date ? at.toISOString() : at;
  return btoa(`${iso}|${id}`).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// What the lists write: a UTC instant, microseconds kept (or milliseconds, from toISOString).
const AT_RE = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

// Cursors are only encoded, not signed, so `at` reaches PostgreSQL as sent: only a real instant
// it can read may pass. It has no year 0, and Date.parse rolls 2024-02-30 over into March where
// PostgreSQL refuses it, so the date must read back unchanged.
function validAt(at: string): boolean {
  const m = AT_RE.exec(at);
  if (!m || m[1] === "0000") return false;
  const ms = Date.parse(at);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === at.slice(0, 19);
}

/** Decodes a cursor from `before=`, or throws a 400 naming it. */
export function decodeCursor(text: string): Cursor {
  let raw = "";
  try {
    raw = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch { /* falls through to the error below */ }
  const [at, id] = raw.split("|");
  if (!at || !id || !validAt(at) || !UUID_RE.test(id)) {
    throw new BadRequestError(`Invalid cursor "${text}": use next_cursor from the previous page`);
  }
  return { at, id };
}
