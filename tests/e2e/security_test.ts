// Accounts and security in a real browser, on a Hatch of its own started on an empty database
// as a new customer would: the first run's printed password, signing in and out, the login
// throttle, API tokens and users made in the settings page, what agents do not see, and
// hostile text everywhere it is shown.
import assert from "node:assert/strict";
import type { Browser, Page } from "playwright-core";
import { randomEmail, randomPhone, test } from "../helpers.ts";
import { freePort, spawnHatch } from "../process.ts";
import {
  afternoonZone,
  DOCS_DIR,
  launchBrowser,
  ownDatabase,
  waitLive,
  watchErrors,
} from "./harness.ts";
import { createApiToken } from "../../lib/auth/tokens.ts";
import { createUser } from "../../lib/auth/users.ts";
import { generateTOTP } from "@oslojs/otp";

const ADMIN = "admin@example.com";
const HOSTILE_IMG = "<img src=x onerror=alert(1)>";
const HOSTILE_SCRIPT = "<script>alert(1)</script>";

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
/** The first admin's password, as the first run printed it. */
let adminPassword = "";

/** A browser context with no session, error watching, and every alert() counted as a failure. */
async function freshPage(b: Browser = browser, options: { width?: number; height?: number } = {}) {
  const context = await b.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    timezoneId: "America/Los_Angeles",
    locale: "en-US",
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { context, page, errors, dialogs };
}

async function signInAs(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${base}/`);
}

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

async function call(path: string, init: { token: string; method?: string; body?: unknown }) {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${init.token}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

test("first run: / sends to the login, the printed password signs in, and the inbox works live", async () => {
  // The password is printed once, to stdout, before the server listens.
  const printed = hatch.stdout();
  assert.match(printed, new RegExp(`email:\\s+${ADMIN.replace(".", "\\.")}`));
  const m = printed.match(/password:\s+(\S+)/);
  assert.ok(m, `the first run printed a password:\n${printed}`);
  adminPassword = m[1];

  const { page, context, errors, dialogs } = await freshPage();
  await page.goto(`${base}/`);
  assert.equal(page.url(), `${base}/login?next=%2F`);
  await page.locator('input[name="email"]').fill(ADMIN);
  await page.locator('input[name="password"]').fill(adminPassword);
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
  const { page, context, errors } = await freshPage();
  await signInAs(page, ADMIN, adminPassword);
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
  const { page, context, errors } = await freshPage();
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
  await signInAs(page, email, "Right-horse-battery-9");
  await waitLive(page);
  // This IP's failures would slow the other tests' sign-ins down.
  await db.sql`delete from login_throttle`;
  // The browser logs each refused sign-in's status (401, then 429); nothing else is allowed.
  assert.deepEqual(errors.filter((e) => !/status of (401|429) /.test(e)), []);
  await context.close();
});

test("settings: an API token made in the page works until it is revoked there", async () => {
  const { page, context, errors, dialogs } = await freshPage();
  await signInAs(page, ADMIN, adminPassword);
  await page.locator(".sidebar-foot").getByRole("link", { name: "Settings" }).click();
  await page.waitForURL(`${base}/settings`);
  await page.locator("#tokens").getByRole("button", { name: "New token" }).click();
  await page.locator("#token-name").fill("Deploy script");
  await page.locator("#token-expiry").selectOption("30");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByTestId("new-token").textContent())!;
  assert.match(secret, /^hatch_\S{20,}$/);
  await page.locator(".secret", { hasText: "you won't see it again" }).waitFor();
  const row = page.locator("#tokens tbody tr", { hasText: "Deploy script" });
  assert.match((await row.textContent())!, /in 30 days/);
  assert.equal(await row.getAttribute("data-state"), "active");

  const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).user.email, ADMIN);

  await page.getByRole("button", { name: "I've saved it" }).click();
  assert.equal(await page.getByTestId("new-token").count(), 0, "the secret is gone from the page");
  await row.getByRole("button", { name: "Revoke Deploy script" }).click();
  const confirm = page.locator("dialog.modal[open]");
  await confirm.getByText("stops working at once").waitFor();
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await page.locator('#tokens tr[data-state="revoked"]', { hasText: "Deploy script" }).waitFor();
  await page.locator("dialog.modal[open]").waitFor({ state: "detached" });

  const after = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(after.status, 401);
  await after.body?.cancel();
  // Reloaded, the list still says so, and the secret is nowhere in the page.
  await page.reload();
  await page.locator('#tokens tr[data-state="revoked"]', { hasText: "Deploy script" }).waitFor();
  assert.ok(!(await page.content()).includes(secret));
  assert.deepEqual(errors, []);
  assert.deepEqual(dialogs, []);
  await context.close();
});

test("settings: an admin adds an agent, who signs in elsewhere and sees no Users or Audit log", async () => {
  const admin = await freshPage();
  await signInAs(admin.page, ADMIN, adminPassword);
  await admin.page.goto(`${base}/settings`);
  const users = admin.page.locator("#users");

  // The last admin cannot make themself an agent: the server's words, and the menu goes back.
  const mine = users.locator(`tr[data-user="${ADMIN}"]`);
  await mine.getByRole("combobox").selectOption("agent");
  await users.locator(".form-error", { hasText: "Cannot remove the last admin" }).waitFor();
  assert.equal(await mine.getByRole("combobox").inputValue(), "admin");

  const email = randomEmail();
  await users.getByRole("button", { name: "Add user" }).click();
  const modal = admin.page.locator("dialog.modal[open]");
  await modal.locator("#user-email").fill(email);
  await modal.locator("#user-name").fill("Robin Agent");
  assert.ok(await modal.getByText("8–128 characters, not a common password").isVisible());
  await modal.locator("#user-password").fill("password");
  await modal.getByRole("button", { name: "Add user" }).click();
  await modal.locator(".form-error", { hasText: "Password is too common" }).waitFor();
  const password = "Lantern-Orchid-4417";
  await modal.locator("#user-password").fill(password);
  await modal.getByRole("button", { name: "Add user" }).click();
  const row = users.locator(`tr[data-user="${email}"]`);
  await row.waitFor();
  await admin.page.locator("dialog.modal[open]").waitFor({ state: "detached" });
  assert.equal(await row.getByRole("combobox").inputValue(), "agent");
  assert.match((await row.textContent())!, /Robin Agent/);

  // Another browser: the agent signs in and finds only their own sections.
  const agent = await freshPage();
  await signInAs(agent.page, email, password);
  await waitLive(agent.page);
  await agent.page.goto(`${base}/settings`);
  assert.equal(await agent.page.getByTestId("my-email").textContent(), email);
  assert.equal(await agent.page.getByTestId("my-role").textContent(), "Agent");
  await agent.page.locator("#tokens").waitFor();
  assert.equal(await agent.page.locator("#users, #audit").count(), 0);
  assert.equal(await agent.page.getByRole("link", { name: "Users" }).count(), 0);
  assert.equal(await agent.page.getByRole("link", { name: "Audit log" }).count(), 0);
  assert.equal(await agent.page.getByText("Add user").count(), 0);
  const refused = await agent.page.evaluate(
    async () => [(await fetch("/api/users")).status, (await fetch("/api/audit")).status],
  );
  assert.deepEqual(refused, [403, 403]);

  // Disabled, the agent is out at once; enabled again, they can sign back in.
  await row.getByRole("button", { name: `Disable ${email}` }).click();
  await admin.page.locator("dialog.modal[open]").getByRole("button", { name: "Disable user" })
    .click();
  await row.locator(".pill", { hasText: "Disabled" }).waitFor();
  await agent.page.reload();
  assert.match(agent.page.url(), /\/login\?next=%2Fsettings$/);
  await row.getByRole("button", { name: `Enable ${email}` }).click();
  await row.locator(".pill", { hasText: "Active" }).waitFor();
  await signInAs(agent.page, email, password);

  // A reset password replaces the old one.
  await row.getByRole("button", { name: `Reset password of ${email}` }).click();
  await admin.page.locator("#reset-password").fill("New-Maple-Harbor-82");
  await admin.page.getByRole("button", { name: "Set password", exact: true }).click();
  await users.locator(".notice", { hasText: `New password set for ${email}` }).waitFor();
  await agent.page.goto(`${base}/settings`);
  assert.match(agent.page.url(), /\/login\?next=/, "the reset signed the agent out");
  await signInAs(agent.page, email, "New-Maple-Harbor-82");

  // The browser logs the refusals this test asked for (the last admin, the common password,
  // the agent's two calls); nothing else.
  const refusal = (status: string) =>
    `Failed to load resource: the server responded with a status of ${status}`;
  assert.deepEqual(admin.errors, [refusal("400 (Bad Request)"), refusal("400 (Bad Request)")]);
  assert.deepEqual(agent.errors, [refusal("403 (Forbidden)"), refusal("403 (Forbidden)")]);
  assert.deepEqual([...admin.dialogs, ...agent.dialogs], []);
  await admin.context.close();
  await agent.context.close();
});

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

// RFC 4648 base32, as authenticator apps take keys typed by hand.
function base32(bytes: Uint8Array): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const b of bytes) bits += b.toString(2).padStart(8, "0");
  let out = "";
  for (let i = 0; i < bits.length; i += 5) {
    out += alphabet[parseInt(bits.slice(i, i + 5).padEnd(5, "0"), 2)];
  }
  return out;
}

test("settings: two-factor is turned on with a code from the app, asked at sign-in, turned off", async () => {
  const email = randomEmail();
  const password = "Quiet-Meadow-Lamp-51";
  await createUser(db.sql, { email, role: "agent", password });
  const { page, context, errors, dialogs } = await freshPage();
  await signInAs(page, email, password);
  await page.goto(`${base}/settings#security`);
  const card = page.locator("#security");
  await card.locator(".pill", { hasText: "Off" }).waitFor();
  const started = page.waitForResponse((r) =>
    r.url().endsWith("/api/me/totp") && r.request().method() === "POST"
  );
  await card.getByRole("button", { name: "Set up" }).click();
  const { key } = await (await started).json();
  // The key to type in is the same key, in base32 groups of four; the QR code is drawn.
  assert.equal(
    (await page.getByTestId("totp-key").textContent())!.replaceAll(" ", ""),
    base32(hexBytes(key)),
  );
  await card.locator("svg.qr path").waitFor();
  assert.match((await card.locator("a.tfa-link").getAttribute("href"))!, /^otpauth:\/\/totp\//);

  await page.locator("#totp-code").fill("000000");
  await card.getByRole("button", { name: "Turn on two-factor" }).click();
  await card.locator(".form-error", { hasText: "Wrong code" }).waitFor();
  await page.locator("#totp-code").fill(generateTOTP(hexBytes(key), 30, 6));
  await card.getByRole("button", { name: "Turn on two-factor" }).click();
  await card.locator(".pill", { hasText: "On" }).waitFor();

  // Signing in now takes the code as a second step.
  await page.locator(".rail-foot").getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${base}/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator('input[name="code"]').fill(generateTOTP(hexBytes(key), 30, 6));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(`${base}/`);

  await page.goto(`${base}/settings#security`);
  await card.getByRole("button", { name: "Turn off" }).click();
  await page.locator("#totp-code").fill(generateTOTP(hexBytes(key), 30, 6));
  await card.getByRole("button", { name: "Turn off two-factor" }).click();
  await card.locator(".pill", { hasText: "Off" }).waitFor();
  const [row] = await db.sql`select totp_key from users where email = ${email}`;
  assert.equal(row.totp_key, null);
  // One refusal was asked for: the wrong code.
  assert.deepEqual(errors, [
    "Failed to load resource: the server responded with a status of 400 (Bad Request)",
  ]);
  assert.deepEqual(dialogs, []);
  await context.close();
});

test("hostile text shows as text: message body, contact name, email subject, token name, audit target", async () => {
  const token = await adminToken();
  const phone = randomPhone();
  const sms = await call("/api/send_message", {
    token,
    body: { to: phone, content: HOSTILE_SCRIPT },
  });
  await call("/api/contacts", { token, body: { name: HOSTILE_IMG, phones: [phone] } });
  const mail = await call("/api/send_email", {
    token,
    body: { to_email: randomEmail(), subject: HOSTILE_IMG, body: "Hello there" },
  });
  await call("/api/tokens", { token, body: { name: HOSTILE_IMG } });
  // A sign-in attempt whose "email" is markup lands in the audit log as its target.
  const login = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: HOSTILE_IMG, password: "nope" }).toString(),
    redirect: "manual",
  });
  assert.equal(login.status, 401);
  await login.body?.cancel();

  const { page, context, errors, dialogs } = await freshPage();
  await signInAs(page, ADMIN, adminPassword);
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

test("settings: the audit log pages back with Load older and filters by action", async () => {
  const token = await adminToken();
  // Enough entries for two pages of one action.
  for (let i = 0; i < 30; i++) await call("/api/tokens", { token, body: { name: `bulk ${i}` } });
  const { page, context, errors } = await freshPage();
  await signInAs(page, ADMIN, adminPassword);
  await page.goto(`${base}/settings#audit`);
  const rows = page.locator("#audit tbody tr");
  assert.equal(await rows.count(), 25);
  // Newest first: this sign-in, then the last bulk token.
  assert.equal(await rows.first().getAttribute("data-action"), "login.succeeded");
  assert.match((await rows.nth(1).textContent())!, /name: bulk 29/);
  await page.locator("#audit-action").selectOption("token.created");
  await page.waitForFunction(() =>
    [...document.querySelectorAll("#audit tbody tr")].every((tr) =>
      tr.getAttribute("data-action") === "token.created"
    )
  );
  assert.equal(await rows.count(), 25);
  await page.getByRole("button", { name: "Load older" }).click();
  await page.waitForFunction(() => document.querySelectorAll("#audit tbody tr").length > 25);
  const actions = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-action")));
  assert.ok(actions.every((a) => a === "token.created"), "only the chosen action");
  const ids = await rows.evaluateAll((trs) =>
    trs.map((tr) => Number(tr.getAttribute("data-audit")))
  );
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), "newest first, no repeats");
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(errors, []);
  await context.close();
});

test("screenshot: the settings page of a small shop's admin", async () => {
  const shop = await ownDatabase("settings_shot");
  const password = "Marigold-Sunrise-2024";
  const shopHatch = await spawnHatch({
    port: freePort(),
    env: {
      DATABASE_URL: shop.url,
      HATCH_ADMIN_EMAIL: "ana@marigold.shop",
      HATCH_ADMIN_PASSWORD: password,
      HATCH_SANDBOX_DELAY_MS: "0",
    },
  });
  try {
    const [ana] = await shop.sql`
      update users set name = 'Ana Ruiz', created_at = now() - interval '200 days'
      where email = 'ana@marigold.shop' returning id`;
    const { token } = await createApiToken(shop.sql, { userId: ana.id, name: "Zapier" });
    const as = (path: string, body?: unknown, method?: string) =>
      fetch(`${shopHatch.url}${path}`, {
        method: method ?? (body === undefined ? "GET" : "POST"),
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((r) => r.json());
    const team = [
      ["ben@marigold.shop", "Ben Okafor", "agent"],
      ["chloe@marigold.shop", "Chloé Martin", "agent"],
      ["sam@marigold.shop", "Sam Patel", "admin"],
    ];
    for (const [email, name, role] of team) {
      await as("/api/users", { email, name, role, password: `${name.split(" ")[0]}-Petals-7731` });
    }
    await shop
      .sql`update users set totp_key = repeat('ab', 20) where email in ('ana@marigold.shop', 'sam@marigold.shop')`;
    const [ben] = await shop.sql`select id from users where email = 'ben@marigold.shop'`;
    await createApiToken(shop.sql, { userId: ben.id, name: "Ben's phone shortcut" });
    await as("/api/tokens", { name: "Website order form", expires_in_days: 365 });
    const old = await as("/api/tokens", { name: "Old billing export" });
    await as(`/api/tokens/${old.api_token.id}`, undefined, "DELETE");
    await as("/api/send_message", {
      to: "+14155550142",
      content: "Your order is ready for pickup!",
    });
    await as("/api/send_email", {
      to_email: "jordan@alvarezevents.com",
      subject: "Quote for October 12",
      body: "Hi Jordan, here is the quote.",
    });
    await fetch(`${shopHatch.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "ben@marigold.shop", password: "tulips" }).toString(),
      redirect: "manual",
    }).then((r) => r.body?.cancel());

    const zone = afternoonZone();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      timezoneId: zone,
      locale: "en-US",
    });
    await context.addCookies([{
      name: "hatch_tz",
      value: encodeURIComponent(zone),
      url: shopHatch.url,
    }]);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${shopHatch.url}/login`);
    await page.locator('input[name="email"]').fill("ana@marigold.shop");
    await page.locator('input[name="password"]').fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Ana has two-factor on (a fixed key): the code step.
    await page.locator('input[name="code"]').fill(generateTOTP(hexBytes("ab".repeat(20)), 30, 6));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${shopHatch.url}/`);
    await page.goto(`${shopHatch.url}/settings`);
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${DOCS_DIR}settings.png` });
    await page.locator("#users").scrollIntoViewIfNeeded();
    await page.evaluate(() => document.getElementById("users")!.scrollIntoView());
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${DOCS_DIR}settings-team.png` });
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await shopHatch.kill("SIGTERM");
    await shop.drop();
  }
});

test("security e2e: teardown", async () => {
  await browser.close();
  await hatch.kill("SIGTERM");
  await db.drop();
});
