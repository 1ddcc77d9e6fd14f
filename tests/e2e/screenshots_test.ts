// The README's screenshots, taken from a real Hatch on a showcase database: the inbox, a
// thread (dark, with the SMS counter at work), the email modal, and an email conversation.
import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";
import { afternoonZone, DOCS_DIR, launchBrowser, openSettled } from "./harness.ts";
import { startShowcase } from "./showcase.ts";

const { hatch, openId, emailId } = await startShowcase("shots");
const browser = await launchBrowser();
const zone = afternoonZone();

test("screenshot: the inbox with an SMS thread open", async () => {
  const { page, context, errors } = await openSettled(browser, `${hatch.url}/?c=${openId}`, {
    timeZone: zone,
  });
  assert.equal(await page.locator(".rows a.row").count(), 11);
  await page.screenshot({ path: `${DOCS_DIR}inbox.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test("screenshot: a thread in the dark scheme, the SMS counter warning about UCS-2", async () => {
  const { page, context, errors } = await openSettled(browser, `${hatch.url}/?c=${openId}`, {
    width: 1280,
    height: 860,
    scheme: "dark",
    timeZone: zone,
  });
  await page.locator("#composer-text").fill(
    "See you Saturday! We\u2019ll have everything ready by 8am.",
  );
  await page.locator(".counter-warn").waitFor();
  await page.screenshot({ path: `${DOCS_DIR}thread.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test("screenshot: the compose email modal, then its countdown", async () => {
  const { page, context, errors } = await openSettled(browser, `${hatch.url}/?c=${emailId}`, {
    timeZone: zone,
  });
  await page.getByRole("button", { name: "Reply" }).click();
  await page.locator("#email-cc").fill("events@alvarezevents.com");
  await page.locator("#email-body").fill(
    "Hi Jordan,\n\nThank you for thinking of us! For 14 low centerpieces in rust, burgundy and " +
      "cream, with candles and seasonal foliage, our quote is $1,260 including delivery and " +
      "setup on October 12.\n\nHappy to send a sample photo this week.\n\nBest,\nAna at Marigold",
  );
  await page.locator("#email-body").evaluate((el) => {
    el.scrollTop = 0;
    (el as HTMLTextAreaElement).setSelectionRange(0, 0);
  });
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${DOCS_DIR}email-modal.png` });
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByTestId("countdown").waitFor();
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `${DOCS_DIR}email-sent.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test("screenshot: an email conversation, its HTML in a sandboxed frame", async () => {
  const { page, context, errors } = await openSettled(browser, `${hatch.url}/?c=${emailId}`, {
    timeZone: zone,
  });
  assert.equal(await page.locator("iframe.email-frame").getAttribute("sandbox"), "");
  await page.screenshot({ path: `${DOCS_DIR}email-view.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test("screenshot: the thread on a phone", async () => {
  const { page, context, errors } = await openSettled(browser, `${hatch.url}/?c=${openId}`, {
    width: 390,
    height: 844,
    timeZone: zone,
  });
  await page.screenshot({ path: `${DOCS_DIR}mobile-thread.png` });
  await page.getByRole("button", { name: "Back to conversations" }).click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: `${DOCS_DIR}mobile-inbox.png` });
  assert.deepEqual(errors, []);
  await context.close();
});
