// A send that the SMS provider refuses, seen in the browser: Hatch runs with the real Twilio
// SDK pointed at the fake Twilio, which answers Twilio's own errors for its test numbers.
import assert from "node:assert/strict";
import { onTeardown, randomPhone, test } from "@/tests/helpers.ts";
import { startFakeTwilio } from "@/tests/fakes/fake_twilio.ts";
import { launchBrowser, openPage, signIn, startHatch, waitLive } from "./harness.ts";

const fake = startFakeTwilio();
onTeardown(() => fake.close());
const hatch = await startHatch({
  env: {
    HATCH_SMS_PROVIDER: "twilio",
    TWILIO_ACCOUNT_SID: fake.accountSid,
    TWILIO_AUTH_TOKEN: fake.authToken,
    TWILIO_PHONE_NUMBER: "+15005550006",
    TWILIO_API_BASE_URL: fake.url,
  },
});
await signIn();
const browser = await launchBrowser();

test("a send the provider refuses for good shows its reason inline, without Retry", async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${hatch.url}/`);
  await waitLive(page);
  // Twilio's magic test number for "invalid To", started from "New conversation".
  await page.getByRole("button", { name: "New conversation" }).first().click();
  await page.locator("#new-conv-to").fill("+1 500-555-0001");
  await page.locator(".new-conv-choice.is-active", { hasText: "SMS" }).waitFor();
  await page.getByRole("button", { name: "Start" }).click();
  await page.locator("#composer-text").fill("Are you there?");
  await page.keyboard.press("Enter");
  const failed = page.locator('.msg[data-status="failed"]', { hasText: "Are you there?" });
  await failed.waitFor({ timeout: 10_000 });
  assert.match(
    (await failed.locator(".msg-error").textContent())!,
    /Failed: The 'To' number \+15005550001 is not a valid phone number\. \(21211\)/,
  );
  // Not a valid number: sending the same text again cannot help, so nothing offers to.
  assert.equal(await failed.getByRole("button", { name: "Retry" }).count(), 0);
  // The conversation's row says its last send failed.
  await page.locator("a.row.is-selected .row-failed", { hasText: "Not sent" }).waitFor();
  // The sandbox simulator is only for the sandbox provider.
  assert.equal(await page.locator(".sandbox").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("Retry sends a failed message again and it takes its new status", async () => {
  const phone = randomPhone();
  fake.failFor(phone, {
    status: 400,
    code: 21612,
    message: "The 'To' phone number is not currently reachable via SMS.",
  });
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${hatch.url}/`);
  await waitLive(page);
  await page.getByRole("button", { name: "New conversation" }).first().click();
  await page.locator("#new-conv-to").fill(phone);
  await page.getByRole("button", { name: "Start" }).click();
  await page.locator("#composer-text").fill("Your order is ready");
  await page.keyboard.press("Enter");
  const msg = page.locator(".msg", { hasText: "Your order is ready" });
  await msg.locator(".msg-error", { hasText: "not currently reachable" }).waitFor({
    timeout: 10_000,
  });
  fake.clearFailureFor(phone);
  await msg.getByRole("button", { name: "Retry" }).click();
  // The retry is a new message below the failed one, which stays in the history as it was.
  await page.waitForFunction(
    () => {
      const copies = [...document.querySelectorAll<HTMLElement>(".msg")]
        .filter((m) => m.textContent?.includes("Your order is ready"));
      const again = copies.at(-1);
      return copies.length === 2 && copies[0].dataset.status === "failed" && again &&
        ["queued", "sending", "sent", "delivered"].includes(again.dataset.status ?? "") &&
        !again.querySelector(".msg-error");
    },
    undefined,
    { timeout: 10_000 },
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("a carrier's unsubscribed refusal (21610) is said in words, and offers no Retry", async () => {
  const phone = randomPhone();
  fake.failFor(phone, {
    status: 400,
    code: 21610,
    message: "Attempt to send to unsubscribed recipient",
  });
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${hatch.url}/`);
  await waitLive(page);
  await page.getByRole("button", { name: "New conversation" }).first().click();
  await page.locator("#new-conv-to").fill(phone);
  await page.locator(".new-conv-choice.is-active", { hasText: "SMS" }).waitFor();
  await page.keyboard.press("Enter");
  await page.locator("#composer-text").fill("Your bouquet is ready");
  await page.keyboard.press("Enter");
  const msg = page.locator('.msg[data-status="failed"]', { hasText: "Your bouquet is ready" });
  await msg.waitFor({ timeout: 10_000 });
  assert.equal(await msg.getByRole("button", { name: "Retry" }).count(), 0);
  const banner = page.getByTestId("opt-out");
  await banner.waitFor();
  const words = (await banner.textContent())!;
  assert.match(words, /This number has unsubscribed from your texts \(carrier code 21610\)/);
  assert.doesNotMatch(words, /PROVIDER|UNSUBSCRIBED/);
  const placeholder = await page.locator("#composer-text").getAttribute("placeholder");
  assert.match(placeholder!, /: this number has unsubscribed from your texts/);
  assert.doesNotMatch(placeholder!, /PROVIDER/);
  await page.locator("a.row.is-selected .row-failed").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
