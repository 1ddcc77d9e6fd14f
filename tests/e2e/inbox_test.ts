// The inbox in a real browser against a real Hatch process: live updates across browser
// contexts, hostile text, the phone layout, the composer, and scrolling through history.
import assert from "node:assert/strict";
import type { Page, Route } from "playwright-core";
import { randomPhone, test } from "@/tests/helpers.ts";
import {
  get,
  launchBrowser,
  openPage,
  patch,
  post,
  reported,
  sendSms,
  signIn,
  startHatch,
  waitLive,
} from "./harness.ts";

const hatch = await startHatch();
await signIn();
const browser = await launchBrowser();
const base = hatch.url;

async function newConversation(text = "Hello from Hatch"): Promise<string> {
  const { conversation_id } = await sendSms(base, randomPhone(), text);
  return conversation_id;
}

function bubble(page: Page, text: string | RegExp) {
  return page.locator(".thread .msg", { has: page.locator(".bubble-text", { hasText: text }) });
}

function exact(text: string): RegExp {
  return new RegExp(`^${text}$`);
}

test("a message sent in one browser appears in another's open thread and list within a second", async () => {
  const id = await newConversation();
  const a = await openPage(browser);
  const b = await openPage(browser);
  await a.page.goto(`${base}/?c=${id}`);
  await b.page.goto(`${base}/?c=${id}`);
  await Promise.all([waitLive(a.page), waitLive(b.page)]);
  // Another conversation moves to the top first, so "moves to the top" is observable.
  await newConversation("Someone else writes");
  await b.page.waitForTimeout(300);

  const text = `Live ping ${crypto.randomUUID().slice(0, 6)}`;
  await a.page.locator("#composer-text").fill(text);
  const sentAt = Date.now();
  await a.page.keyboard.press("Enter");
  // The sender sees it at once, then with a real status.
  await bubble(a.page, text).waitFor({ timeout: 300 });
  await b.page.locator(".thread .msg", { hasText: text }).waitFor({ timeout: 1000 });
  const row = b.page.locator(`.rows a.row[data-conversation="${id}"]`);
  await row.locator(".row-preview", { hasText: text }).waitFor({ timeout: 1000 });
  const elapsed = Date.now() - sentAt;
  assert.ok(elapsed < 1000, `second browser saw it after ${elapsed} ms`);
  const first = await b.page.locator(".rows a.row").first().getAttribute("data-conversation");
  assert.equal(first, id, "the conversation moved to the top of the list");
  await a.page.locator(`.msg[data-status="delivered"]`, { hasText: text }).waitFor({
    timeout: 5000,
  });
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.context.close();
  await b.context.close();
});

test("a hostile message body shows as text, in the thread and in the list", async () => {
  const hostile = `<img src=x onerror=alert(1)><script>alert(2)</script>`;
  const id = await newConversation(hostile);
  const { page, context, errors } = await openPage(browser);
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.goto(`${base}/?c=${id}`);
  await waitLive(page);
  assert.equal(await bubble(page, "onerror").locator(".bubble-text").textContent(), hostile);
  assert.equal(await page.locator(".thread img, .rows img").count(), 0);
  // And arriving live, through the islands rather than the server render.
  await post(base, "/api/sandbox/inbound", { conversation_id: id, body: `${hostile} again` });
  await bubble(page, "again").waitFor({ timeout: 2000 });
  assert.equal(
    await bubble(page, "again").locator(".bubble-text").textContent(),
    `${hostile} again`,
  );
  assert.equal(await page.locator(".thread img, .rows img, .thread script").count(), 0);
  assert.equal(dialogs, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("375 px wide: the list and the thread are two screens", async () => {
  const id = await newConversation("Small screens welcome");
  const { page, context, errors } = await openPage(browser, { width: 375, height: 740 });
  await page.goto(`${base}/`);
  await waitLive(page);
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
  assert.ok(await page.locator(".sidebar").isVisible());
  assert.ok(!(await page.locator(".stage").isVisible()));
  assert.ok(await fits(), "no sideways scrolling on the list");
  await page.locator(`a.row[data-conversation="${id}"]`).click();
  await page.locator(".phone .composer").waitFor();
  assert.ok(!(await page.locator(".sidebar").isVisible()));
  const box = (await page.locator(".phone").boundingBox())!;
  assert.ok(box.width <= 375 && box.x >= 0, `the thread fills the screen (${JSON.stringify(box)})`);
  assert.ok(await fits(), "no sideways scrolling on the thread");
  await page.locator("#composer-text").fill("Sent from a phone");
  await page.keyboard.press("Enter");
  await bubble(page, "Sent from a phone").waitFor();
  await page.getByRole("button", { name: "Back to conversations" }).click();
  await page.locator(".sidebar").waitFor();
  assert.ok(!(await page.locator(".stage").isVisible()));
  // The modal fits as well.
  await page.locator(".sidebar").getByRole("button", { name: "Compose email" }).click();
  await page.locator("dialog.modal[open]").waitFor();
  const modal = (await page.locator("dialog.modal").boundingBox())!;
  assert.ok(modal.x >= 0 && modal.x + modal.width <= 375, "the email modal fits");
  await page.keyboard.press("Escape");
  assert.deepEqual(errors, []);
  await context.close();
});

test("composer: Enter sends, Shift+Enter breaks the line, empty cannot send, SMS counter", async () => {
  const id = await newConversation("Counter test");
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/?c=${id}`);
  await waitLive(page);
  const box = page.locator("#composer-text");
  const send = page.getByRole("button", { name: "Send message" });
  assert.ok(await send.isDisabled(), "nothing to send yet");
  await box.fill("   ");
  await page.keyboard.press("Enter");
  assert.ok(await send.isDisabled(), "whitespace alone cannot be sent");
  const before = await page.locator(".thread .msg").count();

  await box.fill("");
  await box.type("Line one");
  await page.keyboard.press("Shift+Enter");
  await box.type("Line two");
  assert.equal(await box.inputValue(), "Line one\nLine two");
  const counter = page.getByTestId("sms-counter");
  assert.match((await counter.textContent())!, /17\/160.*1 segment.*GSM-7/);
  await page.keyboard.press("Enter");
  await bubble(page, "Line two").waitFor();
  assert.equal(
    await bubble(page, "Line two").locator(".bubble-text").textContent(),
    "Line one\nLine two",
  );
  assert.equal(await box.inputValue(), "");
  assert.equal(await page.locator(".thread .msg").count(), before + 1);

  await box.fill("It\u2019s ready");
  assert.match((await counter.textContent())!, /10\/70.*UCS-2/);
  await page.locator(".counter-warn", { hasText: "forces Unicode" }).waitFor();
  await page.getByRole("button", { name: "Use plain punctuation" }).click();
  assert.equal(await box.inputValue(), "It's ready");
  assert.match((await counter.textContent())!, /GSM-7/);
  await box.fill("x".repeat(161));
  assert.match((await counter.textContent())!, /161\/306.*2 segments/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("history: older messages load on scroll up without a jump; new ones follow the bottom", async () => {
  const phone = randomPhone();
  const { conversation_id: id } = await sendSms(base, phone, "Message 1");
  for (let i = 2; i <= 70; i++) {
    await post(base, "/api/send_message", { to: phone, content: `Message ${i}` });
  }
  const { page, context, errors } = await openPage(browser, { height: 760 });
  await page.goto(`${base}/?c=${id}`);
  await waitLive(page);
  const scroller = page.locator(".thread-scroll");
  assert.ok(await bubble(page, exact("Message 70")).isVisible(), "opens at the newest message");
  assert.equal(
    await bubble(page, exact("Message 1")).count(),
    0,
    "the first page holds the newest 50",
  );

  // Scroll to the top: the next page arrives above without moving what is on screen.
  await scroller.evaluate((el) => el.scrollTop = -(el.scrollHeight - el.clientHeight));
  await bubble(page, exact("Message 1")).waitFor({ timeout: 5000 });
  const anchor = bubble(page, exact("Message 21"));
  const y1 = (await anchor.boundingBox())!.y;
  await page.waitForTimeout(200);
  const y2 = (await anchor.boundingBox())!.y;
  assert.ok(Math.abs(y1 - y2) < 2, `the view stayed put (${y1} → ${y2})`);

  // Reading older messages: a new one arrives, the view holds still and says so.
  const top = bubble(page, exact("Message 10"));
  await top.scrollIntoViewIfNeeded();
  const before = (await top.boundingBox())!.y;
  await post(base, "/api/sandbox/inbound", { conversation_id: id, body: "A reply while reading" });
  await page.locator(".new-pill").waitFor({ timeout: 2000 });
  const after = (await top.boundingBox())!.y;
  assert.ok(Math.abs(before - after) < 2, `reading position kept (${before} → ${after})`);

  // At the bottom, the next one comes into view by itself.
  await page.locator(".new-pill").click();
  await page.waitForTimeout(200);
  await post(base, "/api/sandbox/inbound", { conversation_id: id, body: "And one more" });
  await bubble(page, "And one more").waitFor({ timeout: 2000 });
  await page.waitForTimeout(100);
  assert.ok(await bubble(page, "And one more").isVisible());
  const fromBottom = await scroller.evaluate((el) => Math.abs(el.scrollTop));
  assert.ok(fromBottom < 4, `follows the bottom (${fromBottom}px away)`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("after the server stops and starts again, what was sent meanwhile appears without reload", async () => {
  const id = await newConversation("Before the restart");
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/?c=${id}`);
  await waitLive(page);
  await page.evaluate(() => (globalThis as unknown as { marker: number }).marker = 42);
  // A second Hatch on the same database carries the sends while the page's server is down.
  const other = await startHatch();
  try {
    await hatch.kill("SIGTERM");
    await page.locator('[data-connection="reconnecting"]').waitFor({ timeout: 10_000 });
    const { conversation } = await get<{ conversation: { contact: string } }>(
      other.url,
      `/api/conversation/${id}`,
    );
    const contact = conversation.contact;
    await post(other.url, "/api/send_message", {
      to: contact,
      content: "Sent while you were away",
    });
    await post(other.url, "/api/sandbox/inbound", { conversation_id: id, body: "Customer too" });
    const fresh = await sendSms(other.url, randomPhone(), "A new conversation meanwhile");
    const restarted = await startHatch({ port: hatch.port });
    Object.assign(hatch, restarted);
    await waitLive(page, 20_000);
    await bubble(page, "Sent while you were away").waitFor({ timeout: 10_000 });
    await bubble(page, "Customer too").waitFor({ timeout: 10_000 });
    await page.locator(`a.row[data-conversation="${fresh.conversation_id}"]`).waitFor({
      timeout: 10_000,
    });
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as { marker: number }).marker),
      42,
    );
  } finally {
    await other.kill("SIGTERM");
  }
  assert.deepEqual(errors, []);
  await context.close();
});

/** The conversations the list shows, top to bottom. */
function conversationIds(page: Page): Promise<string[]> {
  return page.locator(".rows a.row[data-conversation]")
    .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.conversation ?? ""));
}

/** Waits until the list holds conversation `id` alone. */
function onlyConversation(page: Page, id: string): Promise<unknown> {
  return reported(
    page,
    page.waitForFunction(
      (id) => {
        // Conversations only: the message hits listed below them are rows too.
        const r = document.querySelectorAll<HTMLElement>(".rows a.row[data-conversation]");
        return r.length === 1 && r[0].dataset.conversation === id;
      },
      id,
    ),
  );
}

test("the filter finds by text or number, and the list works from the keyboard", async () => {
  const word = `zinnia${crypto.randomUUID().slice(0, 6)}`;
  const phone = randomPhone();
  const { conversation_id: id } = await sendSms(base, phone, `Two bunches of ${word}, please`);
  await newConversation("Another one, so there is something to move to");
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  const rows = page.locator(".rows a.row");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "filter");
  await page.keyboard.type(word);
  await onlyConversation(page, id);
  await page.locator("#filter").fill(phone.slice(-7));
  await reported(page, page.locator(`.rows a.row[data-conversation="${id}"]`).waitFor());
  await page.locator("#filter").fill("");
  await reported(
    page,
    page.waitForFunction(() => document.querySelectorAll(".rows a.row").length > 1),
  );

  // Tab from the filter reaches the rows; arrows walk them; Enter opens one.
  await page.locator("#filter").focus();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("row")), true);
  await page.keyboard.press("ArrowDown");
  const second = await rows.nth(1).getAttribute("data-conversation");
  assert.equal(
    await page.evaluate(() => (document.activeElement as HTMLElement).dataset.conversation),
    second,
  );
  await page.keyboard.press("Enter");
  await page.locator(`.rows a.row.is-selected[data-conversation="${second}"]`).waitFor();
  await page.locator(".phone .composer").waitFor();
  assert.ok(new URL(page.url()).searchParams.get("c") === second, "the URL names the conversation");
  await page.goBack();
  await page.locator(".empty-stage").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a filter whose request fails is asked again, and says so when it keeps failing", async () => {
  const word = `tulip${crypto.randomUUID().slice(0, 6)}`;
  const { conversation_id: id } = await sendSms(base, randomPhone(), `Red ${word}s`);
  await newConversation("Something else, so the unfiltered list has two rows");
  const { page, context } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  // The first filter request is dropped as a broken connection would drop it.
  let dropped = 0;
  await page.route(`**/api/conversations?*q=${word}*`, (route) => {
    if (dropped++ === 0) return route.abort("connectionreset");
    return route.continue();
  });
  await page.locator("#filter").fill(word);
  await onlyConversation(page, id);
  assert.equal(dropped, 2, "asked again after the dropped request");

  // A server that keeps refusing: the list says so instead of passing the old rows off as found.
  await page.route("**/api/conversations?*q=never*", (route) => route.abort("connectionreset"));
  await page.locator("#filter").fill("never");
  const alert = page.locator(".rows-foot [role=alert]");
  await reported(page, alert.waitFor({ timeout: 15_000 }));
  assert.match(await alert.innerText(), /could not be filtered: Cannot reach Hatch/);
  await context.close();
});

test("the list shows the view asked for last, whichever answer comes last; a view that cannot load says so", async () => {
  const word = `iris${crypto.randomUUID().slice(0, 6)}`;
  const { conversation_id: open } = await sendSms(base, randomPhone(), `Blue ${word}`);
  const { conversation_id: closed } = await sendSms(base, randomPhone(), `Purple ${word}`);
  await patch(base, `/api/conversation/${closed}`, { state: "closed" });
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  // The filter's request in All open is held back until the switch to Closed has been answered.
  const filtering = `**/api/conversations?*q=${word}&view=open*`;
  const held = new Promise<Route>((resolve) => void page.route(filtering, resolve));
  await page.locator("#filter").fill(word);
  const late = await held;
  await page.locator('[data-view="closed"]').click();
  await onlyConversation(page, closed);
  const answered = page.waitForResponse((r) => r.url().includes(`q=${word}&view=open`));
  await late.continue();
  await answered;
  // Two frames: whatever the late answer would change has been drawn.
  await page.evaluate(() =>
    new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
  );
  assert.deepEqual(await conversationIds(page), [closed], `not All open's ${open}`);

  await page.route(
    "**/api/conversations?*view=snoozed*",
    (route) => route.abort("connectionreset"),
  );
  await page.locator('[data-view="snoozed"]').click();
  const alert = page.locator(".rows-foot [role=alert]");
  await reported(page, alert.waitFor({ timeout: 15_000 }));
  assert.match(await alert.innerText(), /view could not be loaded: Cannot reach Hatch/);
  assert.deepEqual(errors, []);
  await context.close();
});
