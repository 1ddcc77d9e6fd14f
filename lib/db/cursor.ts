import { BadRequestError } from "../errors.ts";

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

/** Decodes a cursor from `before=`, or throws a 400 naming it. */
export function decodeCursor(text: string): Cursor {
  let raw = "";
  try {
    raw = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  } catch { /* falls through to the error below */ }
  const [at, id] = raw.split("|");
  if (!at || !id || Number.isNaN(Date.parse(at)) || !UUID_RE.test(id)) {
    throw new BadRequestError(`Invalid cursor "${text}": use next_cursor from the previous page`);
  }
  return { at, id };
}
