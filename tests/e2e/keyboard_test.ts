// The inbox by keyboard: `/` and ArrowDown from the search box into the list, arrows within it,
// Enter opens a conversation with the reply box focused, `?` lists the shortcuts; and a
// contact's notes show beside their thread.
import assert from "node:assert/strict";
import { randomPhone, test } from "@/tests/helpers.ts";
import { launchBrowser, openPage, post, signIn, startHatch, waitLive } from "./harness.ts";

const hatch = await startHatch();
await signIn();
const browser = await launchBrowser();
const base = hatch.url;

const focusedRow = () =>
  document.activeElement?.closest("a.row")?.getAttribute("data-conversation") ?? null;

test("keyboard: ArrowDown from search enters the list, arrows move, Enter opens ready to reply, ? lists shortcuts", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const sent = await post<{ conversation_id: string }>(base, "/api/send_message", {
      to: randomPhone(),
      content: `Keyboard ${i}`,
    });
    ids.unshift(sent.conversation_id);
  }
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "filter");
  // Tab passes the whole list in one step: its rows are one stop, arrows move inside.
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(focusedRow), "Tab enters the list");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(focusedRow), null, "a second Tab leaves it");
  // Back in the search box (Shift+Tab twice), ↓ enters the list at its first row.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "filter");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(focusedRow), ids[0], "the first row, newest first");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(focusedRow), ids[1]);
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(focusedRow), ids[0]);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.locator(`a.row.is-selected[data-conversation="${ids[1]}"]`).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "composer-text");
  await page.keyboard.type("On my way");
  assert.equal(await page.locator("#composer-text").inputValue(), "On my way");

  // `?` typed in the reply box is text; outside a field it lists the shortcuts.
  await page.keyboard.type("?");
  assert.equal(await page.locator(".shortcut-list").count(), 0);
  await page.locator("#composer-text").fill("");
  await page.locator("#composer-text").blur();
  await page.keyboard.press("?");
  const list = page.locator(".shortcut-list");
  await list.waitFor();
  const words = (await list.textContent())!;
  for (const label of ["Search", "Next conversation", "Open the conversation"]) {
    assert.ok(words.includes(label), `lists "${label}": ${words}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("a contact's notes show in the thread's details panel", async () => {
  const phone = randomPhone();
  const notes = `Allergic to lilies ${crypto.randomUUID().slice(0, 6)}`;
  await post(base, "/api/contacts", { name: "Dana Ruiz", phones: [phone], notes });
  const sent = await post<{ conversation_id: string }>(base, "/api/send_message", {
    to: phone,
    content: "Your order is ready",
  });
  const { page, context, errors } = await openPage(browser, { width: 1440, height: 900 });
  await page.goto(`${base}/?c=${sent.conversation_id}`);
  await waitLive(page);
  await page.getByTestId("contact-notes").filter({ hasText: notes }).waitFor({ state: "attached" });
  assert.deepEqual(errors, []);
  await context.close();
});
