// Shared by the accounts browser tests: a clean browser context that fails on alert(), signing
// in through the login form, API calls with a bearer token, and TOTP codes as an app makes them.
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { generateTOTP } from "@oslojs/otp";
import { trackRequests, watchErrors } from "./harness.ts";

/** A page in a new context with no session; console errors and alert() dialogs are collected. */
export async function freshPage(
  browser: Browser,
  options: { width?: number; height?: number; timeZone?: string } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[]; dialogs: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    timezoneId: options.timeZone ?? "America/Los_Angeles",
    locale: "en-US",
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  trackRequests(page);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { context, page, errors, dialogs };
}

/** Signs in through the login form and waits for the inbox. */
export async function signInAs(
  page: Page,
  base: string,
  credentials: { email: string; password: string },
): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('input[name="email"]').fill(credentials.email);
  await page.locator('input[name="password"]').fill(credentials.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/`);
}

/** Calls the API with a bearer token; the JSON answer, or a throw with the server's words. */
export async function call(
  base: string,
  path: string,
  init: { token: string; method?: string; body?: unknown },
  // deno-lint-ignore no-explicit-any -- each test reads the fields it asked for
): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${init.token}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** A refused request as Chromium logs it to the console, for tests that ask for one. */
export function refusal(status: string): string {
  return `Failed to load resource: the server responded with a status of ${status}`;
}

/** Bytes from the hex the API shows TOTP keys in. */
export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

/** RFC 4648 base32, as authenticator apps take keys typed by hand. */
export function base32(bytes: Uint8Array): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const b of bytes) bits += b.toString(2).padStart(8, "0");
  let out = "";
  for (let i = 0; i < bits.length; i += 5) {
    out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, "0"), 2)];
  }
  return out;
}

/** The code an authenticator app shows now for a hex key. */
export function totpNow(keyHex: string): string {
  return generateTOTP(hexBytes(keyHex), 30, 6);
}
