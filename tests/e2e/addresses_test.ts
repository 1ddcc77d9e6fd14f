// Addresses as people write them, in a real browser: numbers with parentheses, dots, a leading
// 1 or a country code start an SMS to the right E.164 number from "New conversation" and from a
// new contact; a contact's name is offered as that contact; a number with a stray letter is
// refused in words; an in-app chat is chosen on purpose; a number as the list shows it finds
// its conversation.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { randomEmail, randomPhone, test } from "@/tests/helpers.ts";
import { get, launchBrowser, openPage, post, signIn, startHatch, waitLive } from "./harness.ts";

const hatch = await startHatch();
await signIn();
const browser = await launchBrowser();
const base = hatch.url;

/** `+14155550123` written as people write it: `(415) 555-0123`, `415.555.0123`, `1 415 555 0123`. */
function written(e164: string, style: "parens" | "dots" | "one"): string {
  const [a, b, c] = [e164.slice(2, 5), e164.slice(5, 8), e164.slice(8)];
  return style === "parens"
    ? `(${a}) ${b}-${c}`
    : style === "dots"
    ? `${a}.${b}.${c}`
    : `1 ${a} ${b} ${c}`;
}

async function newConversation(page: Page, text: string): Promise<void> {
  if (!(await page.locator("#new-conv-to").count())) {
    await page.getByRole("button", { name: "New conversation" }).first().click();
  }
  await page.locator("#new-conv-to").fill(text);
}

/**
 * Starts from "New conversation" and sends one text, typed straight away: the composer has the
 * focus once the recipient is chosen. Answers the conversation's customer side.
 */
async function sendFromNew(page: Page, text: string, body: string): Promise<string> {
  await newConversation(page, text);
  await page.locator(".new-conv-choice.is-active", { hasText: "SMS" }).waitFor();
  await page.keyboard.press("Enter");
  await page.locator("#composer-text:focus").waitFor();
  await page.keyboard.type(body);
  await page.keyboard.press("Enter");
  // Stored: the bubble has the server's status, not the page's own "sending".
  await page.locator('.msg:not([data-status^="local"])', { hasText: body }).waitFor();
  const { conversations } = await get<{ conversations: { contact: string; channel: string }[] }>(
    base,
    `/api/conversations?q=${encodeURIComponent(body)}`,
  );
  assert.equal(conversations.length, 1, `one conversation has "${body}"`);
  assert.equal(conversations[0].channel, "sms", `${text} went out by SMS`);
  return conversations[0].contact;
}

test("numbers as people write them start an SMS to the right E.164 number", async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  for (const style of ["parens", "dots", "one"] as const) {
    const e164 = randomPhone();
    const typed = written(e164, style);
    // The hint says SMS, never "In-app chat", and the send goes to the number it reads.
    await newConversation(page, typed);
    assert.equal(await page.locator(".choice-chat").count(), 0, `${typed} offers no chat`);
    assert.equal(await sendFromNew(page, typed, `Hello ${style} ${e164}`), e164, typed);
    await page.locator(".phone-title", { hasText: "SMS" }).waitFor();
    assert.equal(await page.locator(".thread-empty", { hasText: "Chat messages" }).count(), 0);
  }
  assert.equal(
    await sendFromNew(page, "+44 20 7946 0321", `Hello London ${crypto.randomUUID()}`),
    "+442079460321",
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("a typo in a number is refused in words; a vanity number shows its digits first", async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  await newConversation(page, "4155550100x");
  const hint = page.locator("#new-conv-hint.is-error");
  await hint.waitFor();
  assert.match((await hint.textContent())!, /“4155550100x” is not a phone number: .*letters/);
  assert.equal(await page.locator(".new-conv-choice").count(), 0, "nothing to start");
  assert.equal(await page.getByRole("button", { name: "Start" }).isDisabled(), true);
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("#composer-text").count(), 0, "no chat was started");

  await newConversation(page, "1-800-FLOWERS");
  await page.locator(".new-conv-choice.is-active", {
    hasText: "1-800-FLOWERS is (800) 356-9377",
  }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a contact's name offers the contact; an in-app chat is picked on purpose", async () => {
  const name = `Maria Chen ${crypto.randomUUID().slice(0, 6)}`;
  const phone = randomPhone();
  const email = randomEmail();
  await post(base, "/api/contacts", { name, phones: [phone], emails: [email] });
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  await newConversation(page, name);
  // The contact's number first (Enter takes it), its email next, a chat only as the last choice.
  const first = page.locator(".new-conv-choice.is-active");
  await first.locator("strong", { hasText: name }).waitFor();
  assert.match((await first.textContent())!, /SMS/);
  await page.locator(".new-conv-choice.choice-email", { hasText: email }).waitFor();
  const chat = page.locator(".new-conv-choice.choice-chat");
  assert.match((await chat.textContent())!, /In-app chat with/);
  await page.keyboard.press("Enter");
  await page.locator(".phone-title", { hasText: "SMS" }).waitFor();
  await page.locator(".phone-title h1", { hasText: name }).waitFor();

  // A name nobody has: Enter alone starts nothing; choosing the chat does.
  const stranger = `Walk-in ${crypto.randomUUID().slice(0, 6)}`;
  await newConversation(page, stranger);
  await page.locator(".new-conv-choice.choice-chat").waitFor();
  await page.keyboard.press("Enter");
  await page.locator("#new-conv-hint", { hasText: "Choose the in-app chat" }).waitFor();
  assert.equal(await page.locator("#new-conv-to").count(), 1, "the panel is still open");
  await page.locator(".new-conv-choice.choice-chat").click();
  await page.locator(".phone-title", { hasText: "In-app chat" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("opening an existing number from New conversation closes the panel and focuses the composer", async () => {
  const phone = randomPhone();
  await post(base, "/api/send_message", { to: phone, content: "Your tulips are ready" });
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  await newConversation(page, written(phone, "parens"));
  await page.locator(".new-conv-choice.is-active", { hasText: "SMS" }).waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".msg", { hasText: "Your tulips are ready" }).waitFor();
  assert.equal(await page.locator("#new-conv-to").count(), 0, "the panel closed");
  // The next thing typed is the message.
  await page.locator("#composer-text:focus").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a new contact takes a number as people write it, its placeholder too", async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/contacts`);
  // The contacts list has no live stream to wait for: wait for its island's scripts instead.
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: /New contact/ }).first().click();
  const name = `Placeholder ${crypto.randomUUID().slice(0, 6)}`;
  await page.locator("#contact-name").fill(name);
  const phone = randomPhone();
  const field = page.getByRole("textbox", { name: "Phone number 1" });
  assert.equal(await field.getAttribute("placeholder"), "(415) 555-0142");
  await field.fill(written(phone, "parens"));
  await page.locator(".field-hint", { hasText: written(phone, "parens") }).waitFor();
  await page.getByRole("button", { name: "Create contact" }).click();
  await page.waitForURL(/\/contacts\/[0-9a-f-]{36}$/);
  const { contacts } = await get<{ contacts: { name: string; phones: string[] }[] }>(
    base,
    `/api/contacts?q=${encodeURIComponent(name)}`,
  );
  assert.deepEqual(contacts.map((c) => c.phones), [[phone]]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a number as the list shows it finds its conversation, and the stage does not say the inbox is ready", async () => {
  const phone = randomPhone();
  const words = `Peonies ${crypto.randomUUID().slice(0, 6)}`;
  await post(base, "/api/send_message", { to: phone, content: words });
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  const row = page.locator("a.row", { hasText: words });
  for (const q of [`${phone.slice(5, 8)}-${phone.slice(8)}`, written(phone, "parens")]) {
    await page.locator("#filter").fill(q);
    await row.waitFor();
    // The list settles on the one conversation with that number.
    await page.waitForFunction(() => document.querySelectorAll("a.row:not(.hit)").length === 1);
  }
  // The per-row message count is plain text, not a pill like the unread badge.
  const count = await page.locator("a.row .row-count").first().evaluate((el) => {
    const style = getComputedStyle(el);
    return { border: style.borderTopWidth, radius: style.borderTopLeftRadius };
  });
  assert.deepEqual(count, { border: "0px", radius: "0px" });
  await page.locator("#filter").fill("no such thing at all 0000");
  await page.locator(".rows-empty").waitFor();
  assert.equal(await page.locator(".empty-stage", { hasText: "Your inbox is ready" }).count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
