// The compose-email modal in a real browser: address checks, focus kept inside, Esc and the
// close button, the five-second countdown after a send, and errors said in words.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { randomEmail, test } from "@/tests/helpers.ts";
import { launchBrowser, openPage, signIn, startHatch, waitLive } from "./harness.ts";

const hatch = await startHatch();
await signIn();
const browser = await launchBrowser();

async function openModal(page: Page): Promise<void> {
  await page.locator(".sidebar").getByRole("button", { name: "Compose email" }).click();
  await page.locator("dialog.modal[open]").waitFor();
}

const isOpen = (page: Page) =>
  page.locator("dialog.modal").evaluate((d) => (d as HTMLDialogElement).open);

test("email modal: refuses an invalid address, checks as you type, keeps focus inside, closes on Esc and ✕", async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${hatch.url}/`);
  await waitLive(page);
  let sends = 0;
  page.on("request", (r) => {
    if (r.url().endsWith("/api/send_email")) sends++;
  });
  await openModal(page);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "email-to");

  await page.locator("#email-to").fill("not-an-email");
  await page.locator("#email-subject").fill("Hello");
  await page.locator("#email-body").fill("Hi there");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.locator(".field-error", { hasText: '"not-an-email" is not a valid email address' })
    .waitFor();
  await page.locator(".form-error", { hasText: "is not a valid email address" }).waitFor();
  assert.equal(await isOpen(page), true);
  assert.equal(sends, 0, "nothing was sent");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "email-to");

  // Checked as typed: fixing the address clears the error and shows a tick.
  await page.locator("#email-to").fill("dana@example.com");
  assert.equal(await page.locator(".field-error").count(), 0);
  await page.locator(".field.is-valid .field-ok").first().waitFor();
  await page.locator("#email-cc").fill("ok@example.com, broken@");
  await page.locator("#email-cc").blur();
  await page.locator(".field-error", { hasText: '"broken@"' }).waitFor();

  // Tab and Shift+Tab never leave the dialog.
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press("Tab");
    assert.ok(
      await page.evaluate(() => !!document.activeElement?.closest("dialog.modal")),
      `focus left the dialog after ${i + 1} Tab presses`,
    );
  }
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Shift+Tab");
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest("dialog.modal")));
  }

  await page.keyboard.press("Escape");
  await page.waitForFunction(() =>
    !(document.querySelector("dialog.modal") as HTMLDialogElement).open
  );
  // Esc threw nothing away: the draft comes back as it was left, until it is discarded.
  await openModal(page);
  assert.equal(await page.locator("#email-to").inputValue(), "dana@example.com");
  assert.equal(await page.locator("#email-body").inputValue(), "Hi there");
  await page.getByRole("button", { name: "Discard draft" }).click();
  assert.equal(await page.locator("#email-to").inputValue(), "", "a fresh form once discarded");
  await page.getByRole("button", { name: "Close", exact: true }).click();
  await page.waitForFunction(() =>
    !(document.querySelector("dialog.modal") as HTMLDialogElement).open
  );
  // Focus goes back to where it was before the modal opened.
  assert.equal(
    await page.evaluate(() => document.activeElement?.textContent?.trim()),
    "Compose email",
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("email modal: on success a countdown, then it closes itself after five seconds", async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${hatch.url}/`);
  await waitLive(page);
  await openModal(page);
  const to = randomEmail();
  await page.locator("#email-to").fill(to);
  await page.locator("#email-cc").fill(`${randomEmail()}, ${randomEmail()}`);
  await page.locator("#email-subject").fill("Your quote");
  await page.locator("#email-body").fill("Hello,\n\nHere is the quote we discussed.\n\nThanks");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const countdown = page.getByTestId("countdown");
  await countdown.waitFor();
  const shownAt = Date.now();
  assert.match((await countdown.textContent())!, /Closing in 5 seconds/);
  assert.equal(await page.locator(".countdown-bar").count(), 1);
  await page.locator(".sent", { hasText: to }).waitFor();
  await page.waitForFunction(
    () => !(document.querySelector("dialog.modal") as HTMLDialogElement).open,
    undefined,
    { timeout: 9000 },
  );
  const after = Date.now() - shownAt;
  assert.ok(after >= 4500 && after <= 6500, `closed after ${after} ms`);
  // The email's conversation shows up in the list, live.
  await page.locator("a.row", { hasText: to }).waitFor({ timeout: 3000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("email modal: an error from the server keeps it open and says what went wrong", async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${hatch.url}/`);
  await waitLive(page);
  const words = 'Cannot send email to "gone@example.com": the address bounced before';
  await page.route("**/api/send_email", (route) =>
    route.fulfill({
      status: 422,
      contentType: "application/json",
      body: JSON.stringify({ success: false, error: words }),
    }));
  await openModal(page);
  await page.locator("#email-to").fill("gone@example.com");
  await page.locator("#email-subject").fill("Hello again");
  await page.locator("#email-body").fill("Are you still there?");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.locator(".form-error", { hasText: words }).waitFor();
  assert.equal(await isOpen(page), true);
  assert.ok(await page.getByRole("button", { name: "Send", exact: true }).isEnabled());
  assert.equal(await page.locator("#email-body").inputValue(), "Are you still there?");
  // The browser logs the refused request itself; that is the only console line allowed here.
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
  await context.close();
});
