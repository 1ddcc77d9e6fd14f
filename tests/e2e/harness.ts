// Shared pieces of the browser tests: Debian's Chromium through playwright-core, Hatch as a
// real process on a free port, a database of a test's own, and small API helpers.
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  type Request,
} from "playwright-core";
import { type HatchProcess, spawnHatch } from "@/tests/process.ts";
import { freePort } from "@/lib/net.ts";
import { onTeardown, testDatabaseUrl } from "@/tests/helpers.ts";
import { type Credentials, makeCredentials } from "./auth.ts";

let signedIn: Credentials | null = null;

/** Signs this test file in on `databaseUrl` (the run's by default): pages and API calls carry it. */
export async function signIn(
  databaseUrl = testDatabaseUrl(),
  email?: string,
): Promise<Credentials | null> {
  signedIn = await makeCredentials(databaseUrl, email);
  return signedIn;
}

function authHeaders(): Record<string, string> {
  return signedIn ? { authorization: `Bearer ${signedIn.bearer}` } : {};
}

/** The flags every launch uses: headless, and nothing that reaches out to the network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Launches the system Chromium (tests/run.ts passes its path in HATCH_CHROMIUM); it closes after
 * the file's tests.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: Deno.env.get("HATCH_CHROMIUM") ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  onTeardown(() => browser.close());
  return browser;
}

/** Collects a page's console errors and uncaught exceptions, to assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    // The browser logs refused EventSource connections while a test has stopped the server.
    if (m.type() === "error" && !/ERR_CONNECTION_REFUSED|net::ERR_/.test(m.text())) {
      errors.push(m.text());
    }
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** A new context and page with error watching, at a viewport size. */
export async function openPage(
  browser: Browser,
  options: { width?: number; height?: number; scheme?: "light" | "dark"; timeZone?: string } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const timeZone = options.timeZone ?? "America/Los_Angeles";
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    colorScheme: options.scheme ?? "light",
    timezoneId: timeZone,
    locale: "en-US",
  });
  // As if the reader had been here before: the server renders their zone from the first byte.
  await context.addCookies([{
    name: "hatch_tz",
    value: encodeURIComponent(timeZone),
    domain: "127.0.0.1",
    path: "/",
  }]);
  if (signedIn) {
    await context.addCookies([{
      ...signedIn.cookie,
      domain: "127.0.0.1",
      path: "/",
      httpOnly: true,
    }]);
  }
  const page = await context.newPage();
  const errors = watchErrors(page);
  trackRequests(page);
  return { context, page, errors };
}

/**
 * A new page at `url`, ready to be photographed: live, its fonts loaded, and a moment for CSS
 * transitions to end (nothing announces that). 1440 × 900 unless told otherwise.
 */
export async function openSettled(
  browser: Browser,
  url: string,
  options: Parameters<typeof openPage>[1] = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const opened = await openPage(browser, { width: 1440, height: 900, ...options });
  await opened.page.goto(url);
  await waitLive(opened.page);
  await opened.page.evaluate(() => document.fonts.ready);
  await opened.page.waitForTimeout(250);
  return opened;
}

/**
 * Waits until the page's live stream is connected. Usually well under a second; the margin is
 * for a machine busy with the rest of the suite (a rare start has taken over 10 s there).
 */
export async function waitLive(page: Page, timeout = 30_000): Promise<void> {
  await reported(
    page,
    page.locator('[data-connection="live"]').waitFor({ timeout, state: "attached" }),
  );
}

/**
 * Waits for `until`; if it throws (a timeout), the error carries what the page requested and
 * was answered meanwhile, so a rare failure in CI says whether a request failed or never left.
 */
export async function reported<T>(page: Page, until: Promise<T>): Promise<T> {
  try {
    return await until;
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${await stallReport(page)}`);
  }
}

const inFlight = new WeakMap<Page, Map<Request, number>>();
const history = new WeakMap<Page, string[]>();

/** Remembers a page's requests (and those still waiting for an answer), for `stallReport`. */
export function trackRequests(page: Page): void {
  const open = new Map<Request, number>();
  const seen: string[] = [];
  const started = Date.now();
  const note = (line: string) => seen.push(`  +${Date.now() - started} ms ${line}`);
  inFlight.set(page, open);
  history.set(page, seen);
  page.on("request", (r) => {
    open.set(r, Date.now());
    note(`${r.method()} ${r.url()}`);
  });
  page.on("response", (r) => {
    open.delete(r.request());
    note(`${r.status()} ${r.url()}`);
  });
  page.on("requestfailed", (r) => {
    open.delete(r);
    note(`failed ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on("console", (m) => note(`console.${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => note(`page error: ${e.message}`));
}

/**
 * What a page is waiting on (requests without an answer, and for how long) and whether the
 * server answers the same stream right now from outside the browser: tells a stall in the
 * browser from one in the server.
 */
export async function stallReport(page: Page): Promise<string> {
  const lines = [...(inFlight.get(page) ?? new Map<Request, number>())].map(([r, at]) =>
    `  waiting ${Date.now() - at} ms: ${r.method()} ${r.url()}`
  );
  const origin = new URL(page.url()).origin;
  const started = Date.now();
  let probe: string;
  try {
    const res = await fetch(`${origin}/api/events`, {
      headers: authHeaders(),
      signal: AbortSignal.timeout(5_000),
    });
    await res.body?.cancel();
    probe = `answered ${res.status} in ${Date.now() - started} ms`;
  } catch (e) {
    probe = `no answer after ${Date.now() - started} ms (${(e as Error).message})`;
  }
  const state = await page.evaluate(() =>
    document.querySelector("[data-connection]")?.getAttribute("data-connection") ?? "no badge"
  ).catch((e) => `page unreadable: ${(e as Error).message}`);
  return [
    `page ${page.url()}, connection badge: ${state}`,
    `requests without an answer (${lines.length}):`,
    ...lines,
    `GET /api/events from the test process: ${probe}`,
    "what the page did:",
    ...(history.get(page) ?? []),
  ].join("\n");
}

/** Starts Hatch as a process on the run's database (or `databaseUrl`), sandbox providers by default. */
export function startHatch(
  options: { env?: Record<string, string>; port?: number; databaseUrl?: string } = {},
): Promise<HatchProcess> {
  return spawnHatch({
    port: options.port ?? freePort(),
    env: {
      HATCH_SANDBOX_DELAY_MS: "60",
      HATCH_KEEPALIVE_SECONDS: "5",
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
  });
}

/** Sends JSON to a Hatch and returns the parsed answer (throws on a non-2xx, with its words). */
async function sendJson<T>(method: string, base: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...authHeaders() },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json as T;
}

/** POSTs JSON to a Hatch and returns the parsed answer (throws on a non-2xx, with its words). */
export function post<T = Record<string, unknown>>(
  base: string,
  path: string,
  body: unknown,
): Promise<T> {
  return sendJson("POST", base, path, body);
}

/** PATCHes a Hatch with JSON and returns the parsed answer (throws on a non-2xx). */
export function patch<T = Record<string, unknown>>(
  base: string,
  path: string,
  body: unknown,
): Promise<T> {
  return sendJson("PATCH", base, path, body);
}

/** GETs JSON from a Hatch (throws on a non-2xx, with its words). */
export async function get<T = Record<string, unknown>>(base: string, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: authHeaders() });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json as T;
}

/** Sends an SMS through the API and returns its ids. */
export function sendSms(
  base: string,
  to: string,
  content: string,
): Promise<{ message_id: string; conversation_id: string }> {
  return post(base, "/api/send_message", { to, content });
}

/** A fixed-offset zone where it is now early afternoon, so screenshots show business hours whenever they are taken. */
export function afternoonZone(): string {
  let offset = 14 - new Date().getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  // Etc/GMT zones count the other way round: Etc/GMT-2 is two hours ahead of UTC.
  return offset === 0 ? "UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

/** Where the README's screenshots go. */
export const DOCS_DIR = new URL("../../docs/", import.meta.url).pathname;
