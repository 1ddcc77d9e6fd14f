// The settings page in a real browser, on a Hatch of its own: API tokens made and revoked,
// users added, disabled and reset by an admin, what agents do not see, two-factor turned on
// and off, the audit log's paging and filter; and the README's screenshots of it.
import assert from "node:assert/strict";
import { ownDatabase, randomEmail, test } from "@/tests/helpers.ts";
import { spawnHatch } from "@/tests/process.ts";
import { freePort } from "@/lib/net.ts";
import { afternoonZone, DOCS_DIR, launchBrowser, waitLive } from "./harness.ts";
import { base32, call, freshPage, hexBytes, refusal, signInAs, totpNow } from "./accounts.ts";
import { createApiToken } from "@/lib/auth/tokens.ts";
import { createUser } from "@/lib/auth/users.ts";

const ADMIN = { email: "owner@example.com", password: "Saffron-Kettle-Window-38" };

const db = await ownDatabase("settings");
const hatch = await spawnHatch({
  port: freePort(),
  env: {
    DATABASE_URL: db.url,
    HATCH_ADMIN_EMAIL: ADMIN.email,
    HATCH_ADMIN_PASSWORD: ADMIN.password,
    HATCH_SANDBOX_DELAY_MS: "60",
    HATCH_KEEPALIVE_SECONDS: "5",
  },
});
const base = hatch.url;
const browser = await launchBrowser();

/** A bearer token for the admin, made straight in the database, for the test's own calls. */
async function adminToken(): Promise<string> {
  const [u] = await db.sql`select id from users where email = ${ADMIN.email}`;
  return (await createApiToken(db.sql, { userId: u.id, name: "e2e" })).token;
}

test("settings: an API token made in the page works until it is revoked there", async () => {
  const { page, context, errors, dialogs } = await freshPage(browser);
  await signInAs(page, base, ADMIN);
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
  assert.equal((await me.json()).user.email, ADMIN.email);

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
  const admin = await freshPage(browser);
  await signInAs(admin.page, base, ADMIN);
  await admin.page.goto(`${base}/settings`);
  const users = admin.page.locator("#users");

  // The last admin cannot make themself an agent: the server's words, and the menu goes back.
  const mine = users.locator(`tr[data-user="${ADMIN.email}"]`);
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
  const agent = await freshPage(browser);
  await signInAs(agent.page, base, { email, password });
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
  await signInAs(agent.page, base, { email, password });

  // A reset password replaces the old one.
  await row.getByRole("button", { name: `Reset password of ${email}` }).click();
  await admin.page.locator("#reset-password").fill("New-Maple-Harbor-82");
  await admin.page.getByRole("button", { name: "Set password", exact: true }).click();
  await users.locator(".notice", { hasText: `New password set for ${email}` }).waitFor();
  await agent.page.goto(`${base}/settings`);
  assert.match(agent.page.url(), /\/login\?next=/, "the reset signed the agent out");
  await signInAs(agent.page, base, { email, password: "New-Maple-Harbor-82" });

  // The browser logs the refusals this test asked for (the last admin, the common password,
  // the agent's two calls); nothing else.
  assert.deepEqual(admin.errors, [refusal("400 (Bad Request)"), refusal("400 (Bad Request)")]);
  assert.deepEqual(agent.errors, [refusal("403 (Forbidden)"), refusal("403 (Forbidden)")]);
  assert.deepEqual([...admin.dialogs, ...agent.dialogs], []);
  await admin.context.close();
  await agent.context.close();
});

test("settings: two-factor is turned on with a code from the app, asked at sign-in, turned off", async () => {
  const email = randomEmail();
  const password = "Quiet-Meadow-Lamp-51";
  await createUser(db.sql, { email, role: "agent", password });
  const { page, context, errors, dialogs } = await freshPage(browser);
  await signInAs(page, base, { email, password });
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
  await page.locator("#totp-code").fill(totpNow(key));
  await card.getByRole("button", { name: "Turn on two-factor" }).click();
  await card.locator(".pill", { hasText: "On" }).waitFor();

  // Signing in now takes the code as a second step.
  await page.locator(".rail-foot").getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${base}/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator('input[name="code"]').fill(totpNow(key));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(`${base}/`);

  await page.goto(`${base}/settings#security`);
  await card.getByRole("button", { name: "Turn off" }).click();
  await page.locator("#totp-code").fill(totpNow(key));
  await card.getByRole("button", { name: "Turn off two-factor" }).click();
  await card.locator(".pill", { hasText: "Off" }).waitFor();
  const [row] = await db.sql`select totp_key from users where email = ${email}`;
  assert.equal(row.totp_key, null);
  // One refusal was asked for: the wrong code.
  assert.deepEqual(errors, [refusal("400 (Bad Request)")]);
  assert.deepEqual(dialogs, []);
  await context.close();
});

test("settings: the audit log pages back with Load older and filters by action", async () => {
  const token = await adminToken();
  // Enough entries for two pages of one action.
  for (let i = 0; i < 30; i++) {
    await call(base, "/api/tokens", { token, body: { name: `bulk ${i}` } });
  }
  const { page, context, errors } = await freshPage(browser);
  await signInAs(page, base, ADMIN);
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

test("settings at 375 px wide: one column, no sideways scrolling, tables read as cards", async () => {
  const { page, context, errors } = await freshPage(browser, { width: 375, height: 740 });
  await signInAs(page, base, ADMIN);
  await page.goto(`${base}/settings`);
  await page.locator("#tokens").getByRole("button", { name: "New token" }).click();
  await page.locator("#token-name").fill("Phone test");
  await page.getByRole("button", { name: "Create token" }).click();
  await page.getByTestId("new-token").waitFor();
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
  assert.ok(fits, "no sideways scrolling");
  const row = page.locator("#tokens tbody tr", { hasText: "Phone test" });
  const box = (await row.boundingBox())!;
  assert.ok(box.x >= 0 && box.x + box.width <= 375, `the row fits (${JSON.stringify(box)})`);
  assert.equal(await page.locator("#tokens thead").isVisible(), false, "labels move into the rows");
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
      call(shopHatch.url, path, { token, body, method });
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
    const { page, context, errors } = await freshPage(browser, {
      width: 1440,
      height: 900,
      timeZone: zone,
    });
    // As after a visit to the inbox: the server renders times in the reader's zone.
    await context.addCookies([{
      name: "hatch_tz",
      value: encodeURIComponent(zone),
      url: shopHatch.url,
    }]);
    await page.goto(`${shopHatch.url}/login`);
    await page.locator('input[name="email"]').fill("ana@marigold.shop");
    await page.locator('input[name="password"]').fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Ana has two-factor on (a fixed key): the code step.
    await page.locator('input[name="code"]').fill(totpNow("ab".repeat(20)));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${shopHatch.url}/`);
    await page.goto(`${shopHatch.url}/settings`);
    await page.locator("fieldset.island[disabled]").first().waitFor({ state: "detached" });
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `${DOCS_DIR}settings.png` });
    await page.evaluate(() => {
      document.querySelector(".settings-main")!.scrollTo({
        top: document.getElementById("users")!.offsetTop - 20,
        behavior: "instant",
      });
    });
    await page.screenshot({ path: `${DOCS_DIR}settings-team.png` });
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await shopHatch.kill("SIGTERM");
    await shop.drop();
  }
});
