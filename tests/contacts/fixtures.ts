// Data makers for the contact and search tests.
import type { Contact } from "@/lib/contacts/schemas.ts";
import { randomPhone } from "@/tests/helpers.ts";

/** What the tests drive: the test app's `request()`, however helpers wrap it. */
export interface App {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** A valid US number no other test is likely to use. */
export const uniquePhone = randomPhone;

/** A word no other test uses, for full-text search (letters only, like a real word). */
export function uniqueWord(prefix = "w"): string {
  const letters = [...crypto.getRandomValues(new Uint8Array(10))]
    .map((n) => String.fromCharCode(97 + (n % 26)))
    .join("");
  return `${prefix}${letters}`;
}

/** Sends a request with any method and, when given, a JSON body. */
export function send(app: App, method: string, path: string, body?: unknown): Promise<Response> {
  return Promise.resolve(app.request(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  }));
}

/** Creates a contact through the API and returns it; fails the test on anything but 201. */
export async function createContact(
  app: App,
  input: { name: string; phones?: string[]; emails?: string[]; notes?: string },
): Promise<Contact> {
  const res = await send(app, "POST", "/api/contacts", input);
  const body = await res.json();
  if (res.status !== 201) throw new Error(`POST /api/contacts: ${res.status} ${body.error}`);
  return body.contact;
}
