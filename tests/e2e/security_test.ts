// Accounts and security in a real browser, on a Hatch of its own started on an empty database
// as a new customer would: the first run's printed password, signing in and out, the login
// throttle, and hostile text everywhere it is shown. The settings page has settings_test.ts.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { ownDatabase, randomEmail, randomPhone, test } from "@/tests/helpers.ts";
import { spawnHatch } from "@/tests/process.ts";
import { freePort } from "@/lib/net.ts";
import { launchBrowser, waitLive } from "./harness.ts";
import { call, freshPage, signInAs } from "./accounts.ts";
import { createApiToken } from "@/lib/auth/tokens.ts";
import { createUser } from "@/lib/auth/users.ts";

const ADMIN = "admin@example.com";
const HOSTILE_IMG = "<img src=x onerror=alert(1)>";
const HOSTILE_SCRIPT = "<script>alert(1)</script>";

// No HATCH_ADMIN_PASSWORD: the first run makes one up and prints it.
const db = await ownDatabase("security");
const hatch = await spawnHatch({
  port: freePort(),
  captureStdout: true,
  env: {
    DATABASE_URL: db.url,
    HATCH_ADMIN_EMAIL: ADMIN,
    HATCH_SANDBOX_DELAY_MS: "60",
    HATCH_KEEPALIVE_SECONDS: "5",
  },
});
const base = hatch.url;
const browser = await launchBrowser();
/** The first admin, with the password the first run printed (read by the first test). */
const admin = { email: ADMIN, password: "" };

async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === "hatch_session");
  assert.ok(cookie, "a session cookie was set");
  return cookie.value;
}

/** A bearer token for the first admin, made straight in the database, for the test's own calls. */
async function adminToken(): Promise<string> {
  const [u] = await db.sql`select id from users where email = ${ADMIN}`;
  return (await createApiToken(db.sql, { userId: u.id, name: "e2e" })).token;
}

test("first run: / sends to the login, the printed password signs in, and the inbox works live", async () => {
  // The password is printed once, to stdout, before the server listens.
  const printed = hatch.stdout();
  assert.match(printed, new RegExp(`email:\\s+${ADMIN.replace(".", "\\.")}`));
  const m = printed.match(/password:\s+(\S+)/);
  assert.ok(m, `the first run printed a password:\n${printed}`);
  admin.password = m[1];

  const { page, context, errors, dialogs } = await freshPage(browser);
  await page.goto(`${base}/`);
  assert.equal(page.url(), `${base}/login?next=%2F`);
  await page.locator('input[name="email"]').fill(ADMIN);
  await page.locator('input[name="password"]').fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/`);
  await waitLive(page);
  await page.locator(".rows-empty", { hasText: "No conversations yet" }).waitFor();
  assert.equal(await page.locator(".me-email").textContent(), ADMIN);

  // Send an SMS from a new conversation; its status arrives through the live stream.
  await page.getByRole("button", { name: "New conversation" }).first().click();
  await page.locator("#new-conv-to").fill(randomPhone());
  await page.getByRole("button", { name: "Start" }).click();
  await page.locator("#composer-text").fill("Welcome to Hatch!");
  await page.keyboard.press("Enter");
  await page.locator('.thread .msg[data-status="delivered"]', { hasText: "Welcome to Hatch!" })
    .waitFor({ timeout: 10_000 });
  const row = page.locator(".rows a.row").first();
  await row.locator(".row-preview", { hasText: "Welcome to Hatch!" }).waitFor();
  // The customer answers: the reply appears in the open thread without a reload.
  const id = await row.getAttribute("data-conversation");
  const status = await page.evaluate(async (conversationId) => {
    const me = await (await fetch("/api/me")).json();
    const res = await fetch("/api/sandbox/inbound", {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": me.csrf_token },
      body: JSON.stringify({ conversation_id: conversationId, body: "Thanks, got it" }),
    });
    return res.status;
  }, id);
  assert.ok(status < 300, `the simulated reply was accepted (${status})`);
  await page.locator(".thread .msg-in", { hasText: "Thanks, got it" }).waitFor({ timeout: 5000 });
  assert.deepEqual(errors, []);
  assert.deepEqual(dialogs, []);
  await context.close();
});

test("signing out returns to the login, and the old session no longer works", async () => {
  const { page, context, errors } = await freshPage(browser);
  await signInAs(page, base, admin);
  await waitLive(page);
  const old = await sessionCookie(page);
  const before = await fetch(`${base}/api/me`, { headers: { cookie: `hatch_session=${old}` } });
  assert.equal(before.status, 200);
  await before.body?.cancel();

  await page.locator(".sidebar-foot").getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${base}/login`);
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  const after = await fetch(`${base}/api/me`, { headers: { cookie: `hatch_session=${old}` } });
  assert.equal(after.status, 401);
  await after.body?.cancel();
  // Putting the old cookie back does not sign the browser in either.
  await context.addCookies([{ name: "hatch_session", value: old, url: base }]);
  await page.goto(`${base}/settings`);
  assert.equal(page.url(), `${base}/login?next=%2Fsettings`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("wrong passwords: the login page says in words to wait, and the right one works after", async () => {
  const email = randomEmail();
  await createUser(db.sql, { email, role: "agent", password: "Right-horse-battery-9" });
  const { page, context, errors } = await freshPage(browser);
  await page.goto(`${base}/login`);
  const error = page.locator(".login-error");
  let words = "";
  // Three failures are free, then each try must wait longer: a few quick tries hit the wait.
  for (let i = 0; i < 8 && !/Too many/.test(words); i++) {
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(`wrong password ${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await error.waitFor();
    words = (await error.textContent()) ?? "";
    if (!/Too many/.test(words)) assert.equal(words, "Wrong email or password");
  }
  assert.match(words, /^Too many failed sign-ins: try again in \d+ s$/);
  // The email stays filled in, so trying again later is one field.
  assert.equal(await page.locator('input[name="email"]').inputValue(), email);

  // Time passes (moved in the database rather than waited for): the right password works.
  await db.sql`update login_throttle set last_failure_at = now() - interval '10 minutes'`;
  await signInAs(page, base, { email, password: "Right-horse-battery-9" });
  await waitLive(page);
  // This IP's failures would slow the other tests' sign-ins down.
  await db.sql`delete from login_throttle`;
  // The browser logs each refused sign-in's status (401, then 429); nothing else is allowed.
  assert.deepEqual(errors.filter((e) => !/status of (401|429) /.test(e)), []);
  await context.close();
});

test("hostile text shows as text: message body, contact name, email subject, token name, audit target", async () => {
  const token = await adminToken();
  const phone = randomPhone();
  const sms = await call(base, "/api/send_message", {
    token,
    body: { to: phone, content: HOSTILE_SCRIPT },
  });
  await call(base, "/api/contacts", { token, body: { name: HOSTILE_IMG, phones: [phone] } });
  const mail = await call(base, "/api/send_email", {
    token,
    body: { to_email: randomEmail(), subject: HOSTILE_IMG, body: "Hello there" },
  });
  await call(base, "/api/tokens", { token, body: { name: HOSTILE_IMG } });
  // A sign-in attempt whose "email" is markup lands in the audit log as its target.
  const login = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: HOSTILE_IMG, password: "nope" }).toString(),
    redirect: "manual",
  });
  assert.equal(login.status, 401);
  await login.body?.cancel();

  const { page, context, errors, dialogs } = await freshPage(browser);
  await signInAs(page, base, admin);
  const injected = () =>
    page.locator("img[src='x'], [onerror], script:not([src]), .rows img, .thread img").count();

  await page.goto(`${base}/?c=${sms.conversation_id}`);
  await waitLive(page);
  const listRow = page.locator(`.rows a.row[data-conversation="${sms.conversation_id}"]`);
  assert.equal(await listRow.locator(".row-name").textContent(), HOSTILE_IMG);
  assert.ok((await listRow.locator(".row-preview").textContent())!.endsWith(HOSTILE_SCRIPT));
  await page.locator(".thread .bubble-text", { hasText: "alert(1)" }).waitFor();
  assert.equal(
    await page.locator(".thread .bubble-text", { hasText: "alert(1)" }).textContent(),
    HOSTILE_SCRIPT,
  );
  assert.equal(await page.locator(".phone-title h1").textContent(), HOSTILE_IMG);
  assert.equal(await injected(), 0);

  await page.goto(`${base}/?c=${mail.conversation_id}`);
  await waitLive(page);
  await page.locator(".email-subject", { hasText: "onerror" }).first().waitFor();
  assert.equal(await page.locator(".email-subject").first().textContent(), HOSTILE_IMG);
  assert.equal(await injected(), 0);

  await page.goto(`${base}/settings`);
  const tokenRow = page.locator("#tokens tbody tr", { hasText: "onerror" });
  assert.equal(await tokenRow.locator(".cell-main").textContent(), HOSTILE_IMG);
  await page.locator("#audit-action").selectOption("login.failed");
  const failed = page.locator('#audit tr[data-action="login.failed"]', { hasText: "onerror" });
  await failed.waitFor();
  assert.equal(await failed.locator(".audit-target").textContent(), HOSTILE_IMG);
  await page.locator("#audit-action").selectOption("token.created");
  await page.locator('#audit tr[data-action="token.created"] .cell-sub', {
    hasText: `name: ${HOSTILE_IMG}`,
  }).first().waitFor();
  assert.equal(await injected(), 0);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await context.close();
});
