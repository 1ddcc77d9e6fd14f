// The team inbox in two browsers: Ana and Ben, each in a browser context of their own, on a
// Hatch sending through the fake Twilio server. Assignment reaches Ben's Mine live, presence
// comes and goes, a note mentioning Ben notifies him and reaches no provider, closing and the
// customer's reply move the conversation between views, and a snooze ends by itself.
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { onTeardown, ownDatabase, randomPhone, test, waitUntil } from "@/tests/helpers.ts";
import { makeCredentials } from "./auth.ts";
import { DOCS_DIR, launchBrowser, waitLive, watchErrors } from "./harness.ts";
import { customerTexts as textIn, startTwilioHatch } from "./twilio_hatch.ts";

const db = await ownDatabase("team_e2e");
const shop = await startTwilioHatch({ databaseUrl: db.url });
const { fake } = shop;
const base = shop.hatch.url;
const ana = (await makeCredentials(db.url, "ana@marigold.shop"))!;
const ben = (await makeCredentials(db.url, "ben@marigold.shop"))!;
await db.sql`update users set name = 'Ana Lima' where email = 'ana@marigold.shop'`;
await db.sql`update users set name = 'Ben Ortiz' where email = 'ben@marigold.shop'`;
const browser = await launchBrowser();

/** A browser context signed in as one of them, with desktop notifications recorded. */
async function contextFor(who: typeof ana): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 820 },
    timezoneId: "UTC",
    locale: "en-US",
  });
  await context.grantPermissions(["notifications"], { origin: base });
  await context.addCookies([{
    ...who.cookie,
    domain: "127.0.0.1",
    path: "/",
    httpOnly: true,
  }]);
  // The real Notification, with a record of what was shown, for the test to read.
  await context.addInitScript(() => {
    const page = globalThis as unknown as { shownNotifications: string[] };
    const Real = globalThis.Notification;
    const shown: string[] = [];
    page.shownNotifications = shown;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(title);
      }
    }
    Object.defineProperty(globalThis, "Notification", { value: Recorded, configurable: true });
  });
  onTeardown(() => context.close());
  return context;
}

async function open(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  const errors = watchErrors(page);
  onTeardown(() => assert.deepEqual(errors, [], "no errors in the page"));
  await page.goto(`${base}${path}`);
  await waitLive(page);
  return page;
}

/** The customer texts us; the conversation's id. */
async function customerTexts(from: string, body: string): Promise<string> {
  await textIn(shop, from, body);
  const [row] = await db.sql`select id from conversations where participants[2] = ${from}`;
  return row.id as string;
}

async function anaId(): Promise<string> {
  const [u] = await db.sql`select id from users where email = 'ana@marigold.shop'`;
  return u.id as string;
}

function row(page: Page, id: string) {
  return page.locator(`.rows a.row[data-conversation="${id}"]`);
}

function count(page: Page, view: string) {
  return page.locator(`[data-view="${view}"] .view-count`);
}

const anaContext = await contextFor(ana);
const benContext = await contextFor(ben);

test("assign, presence, a note with a mention, close, the customer's reply and a snooze, in two browsers", async () => {
  const customer = randomPhone();
  const id = await customerTexts(customer, "Is my order on its way?");
  const anaPage = await open(anaContext, `/?view=unassigned&c=${id}`);
  let benPage = await open(benContext, "/?view=mine");
  await benPage.locator(".notify-toggle").click();
  await benPage.locator('.notify-toggle[aria-pressed="true"]').waitFor();
  assert.equal(await count(benPage, "mine").textContent(), "0");

  // Ana assigns it to Ben: his Mine has it within a second, with the count, and the thread
  // says who did it on both sides.
  await anaPage.locator("#assignee").selectOption({ label: "Ben Ortiz" });
  await row(benPage, id).waitFor({ timeout: 5_000 });
  await benPage.locator('[data-view="mine"] .view-count', { hasText: "1" }).waitFor();
  await anaPage.locator(".system-line", { hasText: "Ana Lima assigned this to Ben Ortiz" })
    .waitFor();
  await anaPage.locator(`.rows a.row[data-conversation="${id}"]`).waitFor({ state: "detached" });

  // Ben opens it: Ana sees him viewing, then typing; he closes the tab and it fades.
  await row(benPage, id).click();
  await benPage.locator(".system-line", { hasText: "Ana Lima assigned this to Ben Ortiz" })
    .waitFor();
  await anaPage.locator(".presence", { hasText: "Ben Ortiz is viewing" }).waitFor({
    timeout: 5_000,
  });
  await benPage.locator("#composer-text").pressSequentially("Hi! Let me check", { delay: 20 });
  await anaPage.locator(".presence", { hasText: "Ben Ortiz is typing a reply…" }).waitFor({
    timeout: 5_000,
  });
  await benPage.close({ runBeforeUnload: true });
  await anaPage.locator(".presence-item").waitFor({ state: "detached", timeout: 8_000 });

  // A note that mentions Ben: he is told (toast, desktop notification); Twilio hears nothing.
  benPage = await open(benContext, "/?view=mine");
  await benPage.locator('.notify-toggle[aria-pressed="true"]').waitFor();
  const twilioBefore = fake.requests.length;
  await anaPage.locator(".compose-tab", { hasText: "Internal note" }).click();
  await anaPage.locator("#composer-text").fill("@ben can you call them back?");
  await anaPage.locator("#composer-text").press("Enter");
  await anaPage.locator(".note-card", { hasText: "@ben can you call them back?" }).waitFor();
  await benPage.locator(".team-toast", { hasText: "Ana Lima mentioned you" }).waitFor({
    timeout: 5_000,
  });
  const shown = await benPage.evaluate(() =>
    (globalThis as unknown as { shownNotifications: string[] }).shownNotifications
  );
  assert.deepEqual(shown, ["Ana Lima mentioned you"]);
  const [notes] = await db
    .sql`select count(*)::int as n from messages where conversation_id = ${id}`;
  assert.equal(notes.n, 1, "the note is no message");
  assert.equal(fake.requests.length, twilioBefore, "the fake Twilio server received nothing");

  // The README's picture: Ana's All open with two teammates' avatars, the note, Ben viewing.
  const other = await customerTexts(randomPhone(), "Can I change my delivery address?");
  await fetch(`${base}/api/conversation/${other}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${ana.bearer}` },
    body: JSON.stringify({ assignee_id: await anaId() }),
  }).then((r) => r.body?.cancel());
  await anaPage.locator('[data-view="open"]').click();
  await row(anaPage, other).locator(".mate-avatar").waitFor();
  await row(benPage, id).click();
  await anaPage.locator(".presence", { hasText: "Ben Ortiz is viewing" }).waitFor({
    timeout: 5_000,
  });
  await anaPage.evaluate(() => document.fonts.ready);
  await anaPage.screenshot({ path: `${DOCS_DIR}team.png` });
  await benPage.goBack();
  await benPage.locator(".phone").waitFor({ state: "detached" });

  // Close: it leaves Mine and is under Closed; the customer's reply brings it back to Mine.
  await anaPage.locator(".team-actions button", { hasText: "Close" }).click();
  await anaPage.locator('.state-chip[data-state="closed"]').waitFor();
  await row(benPage, id).waitFor({ state: "detached", timeout: 5_000 });
  await anaPage.locator('[data-view="closed"]').click();
  await row(anaPage, id).waitFor();
  assert.match(anaPage.url(), /view=closed/);
  await customerTexts(customer, "Hello? Still waiting");
  await row(benPage, id).waitFor({ timeout: 5_000 });
  await row(anaPage, id).waitFor({ state: "detached", timeout: 5_000 });
  await anaPage.locator(".system-line", { hasText: "Reopened by the customer's reply" })
    .waitFor();
  await benPage.locator(".team-toast", { hasText: "New message from" }).waitFor({
    timeout: 5_000,
  });

  // A short snooze (over the API: the pickers' times are hours away) ends by itself.
  const until = new Date(Date.now() + 2_000).toISOString();
  const res = await fetch(`${base}/api/conversation/${id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json", authorization: `Bearer ${ana.bearer}` },
    body: JSON.stringify({ state: "snoozed", snoozed_until: until }),
  });
  assert.equal(res.status, 200);
  await row(benPage, id).waitFor({ state: "detached", timeout: 5_000 });
  await row(benPage, id).waitFor({ timeout: 15_000 });
  await anaPage.locator(".system-line", { hasText: "Back from snooze" }).waitFor();
});

test("labels made in settings, applied to several conversations at once, and a view per label", async () => {
  const a = await customerTexts(randomPhone(), "Wholesale prices?");
  const b = await customerTexts(randomPhone(), "Do you ship to Canada?");
  const settings = await anaContext.newPage();
  const errors = watchErrors(settings);
  await settings.goto(`${base}/settings#team`);
  await settings.locator("#new-label").fill("Wholesale");
  await settings.locator(".label-admin-new button").click();
  await settings.locator(".label-admin-row, .form-error").first().waitFor();
  assert.equal(await settings.locator(".form-error").count(), 0);
  assert.equal(
    await settings.locator('.label-admin-row input[id^="name-"]').inputValue(),
    "Wholesale",
  );
  assert.deepEqual(errors, []);
  await settings.close();

  const page = await open(anaContext, "/?view=unassigned");
  await row(page, a).waitFor();
  await page.locator(`li:has(a.row[data-conversation="${a}"]) .row-tick`).check();
  await page.locator(`li:has(a.row[data-conversation="${b}"]) .row-tick`).check();
  await page.locator(".bulk-count", { hasText: "2 selected" }).waitFor();
  await page.locator("#bulk-label").selectOption({ label: "Wholesale" });
  const labelView = page.locator(".view-labels .view-link", { hasText: "Wholesale" });
  await labelView.locator(".view-count", { hasText: "2" }).waitFor();
  await labelView.click();
  await row(page, a).waitFor();
  await row(page, b).waitFor();
  assert.match(page.url(), /label=/);

  await page.locator(`li:has(a.row[data-conversation="${a}"]) .row-tick`).check();
  await page.locator(`li:has(a.row[data-conversation="${b}"]) .row-tick`).check();
  await page.locator(".bulk-bar button", { hasText: "Close" }).click();
  await row(page, a).waitFor({ state: "detached" });
  await row(page, b).waitFor({ state: "detached" });
  await labelView.locator(".view-count", { hasText: "0" }).waitFor();
  const [closed] = await db.sql`
    select count(*)::int as n from conversations where id in (${a}, ${b}) and state = 'closed'`;
  assert.equal(closed.n, 2);
});

test("keyboard only: from the list to a sent reply and a closed conversation", async () => {
  const id = await customerTexts(randomPhone(), "Do you open on Sundays?");
  const page = await open(anaContext, "/?view=unassigned");
  await row(page, id).waitFor();
  await page.keyboard.press("?");
  await page.locator("dialog .shortcut-list", { hasText: "Next conversation" }).waitFor();
  await page.keyboard.press("Escape");
  await page.locator("dialog .shortcut-list").waitFor({ state: "hidden" });
  await page.keyboard.press("j");
  await page.waitForURL(new RegExp(`c=${id}`));
  // a: the assign list opens; the arrows move in it, Enter chooses (one change, not one per key).
  await page.keyboard.press("a");
  await page.locator('.pick-menu[aria-label="Assign to"]:focus').waitFor();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.locator(".pick-menu").waitFor({ state: "detached" });
  await page.locator(".system-line", { hasText: "assigned this to" }).waitFor();
  await page.keyboard.press("r");
  await page.waitForFunction(() => document.activeElement?.id === "composer-text");
  await page.keyboard.type("Yes, 10 to 4");
  await page.keyboard.press("Enter");
  await waitUntil(db.sql, async () =>
    (await db.sql`
      select 1 from messages
      where conversation_id = ${id} and direction = 'outbound' and body = 'Yes, 10 to 4'`)
      .length > 0);
  await page.keyboard.press("Escape");
  await page.keyboard.press("e");
  await page.locator('.state-chip[data-state="closed"]').waitFor();
  const [conv] = await db.sql`select state, assignee_id from conversations where id = ${id}`;
  assert.equal(conv.state, "closed");
  const lines = await db.sql`
    select count(*)::int as n from notes where conversation_id = ${id} and kind = 'system'
      and detail ->> 'action' = 'assigned'`;
  assert.equal(lines[0].n, 1, "one assignment for the whole choice");
  assert.notEqual(conv.assignee_id, null);
});

test("a warning before sending when a teammate replied meanwhile", async () => {
  const id = await customerTexts(randomPhone(), "Which size should I take?");
  const page = await open(benContext, `/?view=all&c=${id}`);
  await page.locator("#composer-text").pressSequentially("Take a medium", { delay: 10 });
  const to = (await db.sql`select participants[2] as p from conversations where id = ${id}`)[0].p;
  const res = await fetch(`${base}/api/send_message`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ana.bearer}` },
    body: JSON.stringify({ to, content: "Medium fits most" }),
  });
  assert.equal(res.status, 202);
  await res.body?.cancel();
  await page.locator(".msg-out .bubble", { hasText: "Medium fits most" }).waitFor();
  await page.locator("#composer-text").press("Enter");
  await page.locator(".collision", { hasText: "replied while you were writing" }).waitFor();
  const [before] = await db.sql`
    select count(*)::int as n from messages where conversation_id = ${id} and direction = 'outbound'`;
  assert.equal(before.n, 1, "nothing sent before the warning is answered");
  await page.locator(".collision button", { hasText: "Send anyway" }).click();
  await waitUntil(db.sql, async () =>
    (await db.sql`
      select 1 from messages where conversation_id = ${id} and body = 'Take a medium'`).length > 0);
});

test("snooze from the thread: Esc folds the choices, then a preset, then reopened by hand", async () => {
  const id = await customerTexts(randomPhone(), "Can you remind me next week?");
  const page = await open(anaContext, `/?c=${id}`);
  const snooze = page.locator(".team-actions button", { hasText: "Snooze" });
  await snooze.click();
  await page.locator(".snooze-menu").waitFor();
  await page.keyboard.press("Escape");
  await page.locator(".snooze-menu").waitFor({ state: "detached" });
  assert.equal(await snooze.getAttribute("aria-expanded"), "false");
  await snooze.click();
  await page.locator(".snooze-menu button", { hasText: "Next week" }).click();
  await page.locator('.state-chip[data-state="snoozed"]', { hasText: "Snoozed until Mon" })
    .waitFor();
  await row(page, id).waitFor({ state: "detached" });
  await page.locator(".system-line", { hasText: "Snoozed by Ana Lima until Mon 9:00 AM" })
    .waitFor();
  const [job] = await db.sql`select run_at from graphile_worker.jobs where key = ${`wake:${id}`}`;
  assert.ok(job, "its wake-up job is queued");
  await page.locator(".team-actions button", { hasText: "Reopen" }).click();
  await page.locator('.state-chip[data-state="open"]').waitFor();
  await row(page, id).waitFor();
  await page.locator(".system-line", { hasText: "Reopened by Ana Lima" }).waitFor();
});

test("read state is per user: reading in one tab clears the badge in the user's other tab, not a teammate's", async () => {
  const id = await customerTexts(randomPhone(), "Hello there");
  const first = await open(benContext, "/?view=all");
  const second = await open(benContext, "/?view=all");
  const anaPage = await open(anaContext, "/?view=all");
  for (const p of [second, anaPage]) await row(p, id).locator(".unread-badge").waitFor();
  await row(first, id).click();
  await row(second, id).locator(".unread-badge").waitFor({ state: "detached" });
  await anaPage.reload();
  await waitLive(anaPage);
  await row(anaPage, id).locator(".unread-badge").waitFor();
});
