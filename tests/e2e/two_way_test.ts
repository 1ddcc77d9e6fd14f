// Two-way messaging in a real browser: texts arriving through Twilio's signed webhook show up
// live, STOP and START switch the composer off and on, one contact's SMS and email share a
// timeline, the filter box searches message text, and hostile names stay text everywhere.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { randomEmail, randomPhone, test } from "@/tests/helpers.ts";
import { get, launchBrowser, openPage, post, signIn, waitLive } from "./harness.ts";
import { customerTexts, startTwilioHatch } from "./twilio_hatch.ts";

const shop = await startTwilioHatch();
const { hatch } = shop;
const creds = await signIn();
const browser = await launchBrowser();
const base = hatch.url;

async function conversationOf(phone: string): Promise<string> {
  const { conversations } = await get<{ conversations: { id: string; contact: string }[] }>(
    base,
    `/api/conversations?q=${encodeURIComponent(phone)}`,
  );
  const found = conversations.find((c) => c.contact === phone);
  assert.ok(found, `a conversation with ${phone}`);
  return found.id;
}

function bubble(page: Page, text: string) {
  return page.locator(".thread .msg", { has: page.locator(".bubble-text", { hasText: text }) });
}

/** Waits until the page's islands have hydrated (a page without a live stream goes quiet). */
async function hydrated(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
}

function noDialogs(page: Page): { count: number } {
  const seen = { count: 0 };
  page.on("dialog", (d) => {
    seen.count++;
    void d.dismiss();
  });
  return seen;
}

test("an inbound SMS through the signed Twilio webhook appears live in the list and the open thread", async () => {
  const phone = randomPhone();
  await customerTexts(shop, phone, "Hi, is the shop open on Sunday?");
  const id = await conversationOf(phone);
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/?c=${id}`);
  await waitLive(page);
  await bubble(page, "open on Sunday").waitFor();

  const text = `Also, do you deliver? ${crypto.randomUUID().slice(0, 6)}`;
  const sentAt = Date.now();
  await customerTexts(shop, phone, text);
  await bubble(page, text).waitFor({ timeout: 2000 });
  const row = page.locator(`.rows a.row[data-conversation="${id}"]`);
  await row.locator(".row-preview", { hasText: text }).waitFor({ timeout: 2000 });
  const elapsed = Date.now() - sentAt;
  assert.ok(elapsed < 2000, `the text showed after ${elapsed} ms`);
  assert.equal(
    await page.locator(".rows a.row").first().getAttribute("data-conversation"),
    id,
    "its conversation moved to the top",
  );

  // A number never seen before starts a new conversation in the list, also without a reload.
  const stranger = randomPhone();
  await customerTexts(shop, stranger, "Hello, first time texting you");
  await page.locator(".rows a.row .row-preview", { hasText: "first time texting" }).waitFor({
    timeout: 2000,
  });
  assert.deepEqual(errors, []);
  await context.close();
});

test("STOP through the webhook shows the opt-out banner live and switches the composer off; START undoes it", async () => {
  const phone = randomPhone();
  await customerTexts(shop, phone, "Thanks for the update");
  const id = await conversationOf(phone);
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/?c=${id}`);
  await waitLive(page);
  const banner = page.getByTestId("opt-out");
  const composer = page.locator("#composer-text");
  assert.equal(await banner.count(), 0);
  assert.ok(await composer.isEnabled());

  await customerTexts(shop, phone, "STOP");
  await banner.waitFor({ timeout: 2000 });
  assert.match(
    (await banner.textContent())!,
    /^Opted out — Replied STOP on .+; they can text START to opt back in$/,
  );
  assert.ok(await composer.isDisabled(), "the composer is off");
  assert.match((await composer.getAttribute("placeholder"))!, /^Can't text .+: they replied STOP$/);
  assert.ok(await page.getByRole("button", { name: "Send message" }).isDisabled());
  // The STOP itself carries a keyword chip.
  await bubble(page, "STOP").locator(".keyword-chip", { hasText: "STOP" }).waitFor();

  // A fresh load renders the same from the server.
  await page.reload();
  await waitLive(page);
  await banner.waitFor();
  assert.ok(await composer.isDisabled());

  await customerTexts(shop, phone, "start");
  await banner.waitFor({ state: "detached", timeout: 2000 });
  assert.ok(await composer.isEnabled(), "the composer is back");
  await bubble(page, "start").locator(".keyword-chip", { hasText: "START" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a contact's page shows their SMS and email together in one timeline, live", async () => {
  const phone = randomPhone();
  const email = randomEmail();
  const { contact } = await post<{ contact: { id: string } }>(base, "/api/contacts", {
    name: "Rosa Delgado",
    phones: [phone],
    emails: [email],
    notes: "Prefers texts in the afternoon",
  });
  await post(base, "/api/send_message", { to: phone, content: "Your tulips are ready" });
  await post(base, "/api/send_email", {
    to_email: email,
    subject: "Receipt for order 1042",
    body: "Thank you for your order.",
  });
  await customerTexts(shop, phone, "Great, on my way");

  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/contacts/${contact.id}`);
  assert.equal(await page.locator(".contact-head h1").textContent(), "Rosa Delgado");
  assert.equal(await page.title(), "Rosa Delgado · Contacts · Hatch");
  const entries = page.locator(".timeline .tl-entry");
  assert.equal(await entries.count(), 3, "two texts and an email, server-rendered");
  assert.deepEqual(
    await entries.evaluateAll((els) => els.map((e) => e.getAttribute("data-kind"))),
    ["message", "email", "message"],
    "newest first, SMS and email mixed",
  );
  const mail = entries.filter({ has: page.locator(".tl-subject", { hasText: "Receipt" }) });
  assert.match((await mail.locator(".tl-meta").textContent())!, /^EmailSent to .+@example\.com/);
  assert.equal(await mail.locator(".status-chip").count(), 1);
  const reply = entries.filter({ hasText: "Great, on my way" });
  assert.match((await reply.locator(".tl-meta").textContent())!, /^SMSReceived from \(\d{3}\)/);
  assert.equal(await reply.locator(".status-chip").textContent(), "Received");
  assert.ok(await reply.locator("time").getAttribute("datetime"));
  assert.ok(await page.locator(".side-notes", { hasText: "afternoon" }).isVisible());

  // A text arriving while the page is open joins the timeline at the top.
  await waitLive(page);
  await customerTexts(shop, phone, "Is there parking out front?");
  await entries.first().filter({ hasText: "parking out front" }).waitFor({ timeout: 2000 });

  // An entry opens its conversation in the inbox.
  await entries.filter({ hasText: "Your tulips are ready" }).locator(".tl-card").click();
  await page.waitForURL(/\/\?c=/);
  await bubble(page, "Your tulips are ready").waitFor();
  assert.equal(await page.locator(".phone-head h1").textContent(), "Rosa Delgado");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the filter box also searches message text: a hit opens its conversation", async () => {
  const word = `zinnia${crypto.randomUUID().slice(0, 6)}`;
  const phone = randomPhone();
  await customerTexts(shop, phone, `Could I get a dozen ${word} stems for Friday?`);
  // The word is no longer the conversation's preview, so only the full-text search finds it.
  await customerTexts(shop, phone, "Thanks!");
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  await page.locator("#filter").pressSequentially(word.slice(0, 9), { delay: 20 });
  const hit = page.locator(".hits a.hit", { hasText: "dozen" });
  await hit.waitFor({ timeout: 3000 });
  assert.equal(await hit.locator("mark").first().textContent(), word.slice(0, 9));
  // The conversation filter still answers beside it: no name, number or preview has the word.
  await page.locator(".rows-none", { hasText: "No conversations match" }).waitFor();
  assert.equal(await page.locator(".rows a.row[data-conversation]").count(), 0);
  await hit.click();
  await bubble(page, `dozen ${word} stems`).waitFor({ timeout: 3000 });
  assert.match(page.url(), /\?c=/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("contacts: create, edit, merge and delete through the pages", async () => {
  const phone = randomPhone();
  const email = randomEmail();
  const name = `Ines Moreau ${crypto.randomUUID().slice(0, 4)}`;
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/contacts`);
  await hydrated(page);
  await page.getByRole("button", { name: "New contact" }).first().click();
  await page.locator("#contact-name").fill(name);
  await page.getByLabel("Phone number 1", { exact: true }).fill(phone);
  await page.getByLabel("Email address 1", { exact: true }).fill(email);
  await page.locator("#contact-notes").fill("Orders for the café every Monday");
  await page.getByRole("button", { name: "Create contact" }).click();
  await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
  await waitLive(page);
  const id = page.url().split("/").pop()!;
  assert.equal(await page.locator(".contact-head h1").textContent(), name);
  await page.locator(".contact-rows a.row.is-selected", { hasText: name }).waitFor();

  // Edit: a second number, new notes; a bad address is refused in words before saving.
  const second = randomPhone();
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  // The new row has the focus as soon as it is there (not a frame later, when the next field
  // may already be in use and would lose its keystrokes to the new row).
  const focused = await page.getByRole("button", { name: "Add another phone number" }).evaluate(
    async (button: HTMLButtonElement) => {
      button.click();
      await new Promise((done) => setTimeout(done, 0));
      return document.activeElement?.getAttribute("aria-label");
    },
  );
  assert.equal(focused, "Phone number 2");
  await page.getByLabel("Phone number 2", { exact: true }).fill(second);
  await page.getByLabel("Email address 1", { exact: true }).fill("not-an-address");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.locator(".field-error", { hasText: '"not-an-address" is not a valid email address' })
    .waitFor();
  await page.getByLabel("Email address 1", { exact: true }).fill(email);
  await page.locator("#contact-notes").fill("Orders for the café every Monday and Thursday");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.locator("dialog.modal[open]").waitFor({ state: "detached" }).catch(() => {});
  await page.locator(".addr-list li").nth(1).waitFor();
  assert.equal(await page.locator(".contact-side .addr-list li").count(), 3);
  await page.locator(".side-notes", { hasText: "Thursday" }).waitFor();

  // Merge a duplicate into it: its address moves here and it is gone.
  const dupEmail = randomEmail();
  const { contact: dup } = await post<{ contact: { id: string } }>(base, "/api/contacts", {
    name: `${name.split(" ")[0]} M.`,
    emails: [dupEmail],
  });
  await page.getByRole("button", { name: "Merge" }).click();
  await page.locator(".pick", { hasText: `${name.split(" ")[0]} M.` }).click();
  await page.getByRole("button", { name: "Merge contacts" }).click();
  await page.locator(".contact-side .addr-list li", { hasText: dupEmail }).waitFor();
  const merged = await get<{ contact: { emails: string[] } }>(base, `/api/contacts/${id}`);
  assert.deepEqual(merged.contact.emails.sort(), [email, dupEmail].sort());
  const gone = await fetch(`${base}/api/contacts/${dup.id}`, {
    headers: creds ? { authorization: `Bearer ${creds.bearer}` } : {},
  });
  await gone.body?.cancel();
  assert.equal(gone.status, 404, "the duplicate is deleted");

  // Delete: confirmed, then back to the list without it.
  await page.getByRole("button", { name: "Delete contact" }).click();
  await page.locator("dialog.modal[open]").getByRole("button", { name: "Delete contact" }).click();
  await page.waitForURL(/\/contacts$/);
  assert.equal(await page.locator(".contact-rows a.row", { hasText: name }).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("from a conversation: Add to contacts, then the name shows and links to the contact", async () => {
  const phone = randomPhone();
  await customerTexts(shop, phone, "Hello, this is Theo from the bakery next door");
  const id = await conversationOf(phone);
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/?c=${id}`);
  await waitLive(page);
  await page.getByRole("button", { name: "Add to contacts" }).click();
  assert.equal(
    await page.getByLabel("Phone number 1", { exact: true }).inputValue(),
    phone,
    "prefilled",
  );
  await page.locator("#contact-name").fill("Theo Baker");
  await page.getByRole("button", { name: "Create contact" }).click();
  await page.locator(".phone-head h1 a", { hasText: "Theo Baker" }).waitFor();
  await page.locator(`.rows a.row[data-conversation="${id}"] .row-name`, { hasText: "Theo Baker" })
    .waitFor();
  await page.getByRole("link", { name: "Open contact" }).click();
  await page.waitForURL(/\/contacts\//);
  await page.locator(".tl-entry", { hasText: "bakery next door" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a hostile contact name and email subject render as text on the contacts pages and in the inbox", async () => {
  const hostileName = "<img src=x onerror=alert(1)>";
  const hostileSubject = "<script>alert(1)</script>";
  const email = randomEmail();
  const phone = randomPhone();
  const { contact } = await post<{ contact: { id: string } }>(base, "/api/contacts", {
    name: hostileName,
    phones: [phone],
    emails: [email],
    notes: `<b>bold?</b> ${hostileSubject}`,
  });
  // PostgreSQL's parser reads the subject as tags and indexes no word of it: the body has one.
  const word = `hostile${crypto.randomUUID().slice(0, 6)}`;
  await post(base, "/api/send_email", { to_email: email, subject: hostileSubject, body: word });
  await customerTexts(shop, phone, hostileSubject);
  const { page, context, errors } = await openPage(browser);
  const dialogs = noDialogs(page);
  const injected = () =>
    page.evaluate(() =>
      document.querySelectorAll('img[src="x"], body script:not([src]), b').length
    );

  await page.goto(`${base}/contacts/${contact.id}?q=${encodeURIComponent("<img")}`);
  await waitLive(page);
  assert.equal(await page.locator(".contact-head h1").textContent(), hostileName);
  assert.equal(
    await page.locator(`.contact-rows a.row[data-contact="${contact.id}"] .row-name`)
      .textContent(),
    hostileName,
  );
  assert.equal(await page.locator(".tl-subject").first().textContent(), hostileSubject);
  assert.equal(
    await page.locator(".tl-entry.is-sms .tl-text").first().textContent(),
    hostileSubject,
  );
  assert.match((await page.locator(".side-notes").textContent())!, /^<b>bold\?<\/b>/);
  assert.equal(await injected(), 0);

  // Arriving live, through the island rather than the server render.
  await customerTexts(shop, phone, `${hostileName} again`);
  await page.locator(".tl-entry .tl-text", { hasText: "again" }).waitFor({ timeout: 2000 });
  assert.equal(await injected(), 0);

  // The list page, and the inbox where the contact's name labels the conversation.
  await page.goto(`${base}/contacts`);
  await page.locator(".contact-rows .row-name", { hasText: "onerror" }).first().waitFor();
  assert.equal(await injected(), 0);
  await page.goto(`${base}/?q=${word}`);
  await waitLive(page);
  await page.locator(".hits .hit-subject", { hasText: hostileSubject }).first().waitFor();
  await page.locator(".rows .row-name", { hasText: hostileName }).first().waitFor();
  assert.equal(await injected(), 0);
  assert.equal(dialogs.count, 0);
  assert.deepEqual(errors, []);
  await context.close();
});
