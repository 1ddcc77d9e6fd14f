// The email composer as a new user met it: To takes a contact's name and `Name <address>`,
// the sender address shows, after a send the email's conversation opens; Reply opens a window
// titled "Reply"; the sandbox says nothing leaves the machine and answers an email too.
import assert from "node:assert/strict";
import { randomEmail, test } from "@/tests/helpers.ts";
import { launchBrowser, openPage, post, signIn, startHatch, waitLive } from "./harness.ts";

const hatch = await startHatch({ env: { HATCH_SANDBOX_EMAIL: "hello@marigold.shop" } });
await signIn();
const browser = await launchBrowser();
const base = hatch.url;

test("To takes a contact's name; the sent email's conversation opens; Reply says Reply", async () => {
  const name = `Maria Chen ${crypto.randomUUID().slice(0, 6)}`;
  const email = randomEmail();
  await post(base, "/api/contacts", { name, emails: [email] });
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/`);
  await waitLive(page);
  await page.locator(".sidebar").getByRole("button", { name: "Compose email" }).click();
  await page.locator("dialog.modal[open]").waitFor();
  assert.equal(await page.locator("#email-title").textContent(), "New email");
  assert.match((await page.getByTestId("email-from").textContent())!, /hello@marigold\.shop/);
  await page.locator("#email-to").fill(name);
  await page.getByTestId("email-to-hint").filter({ hasText: `${name} <${email}>` }).waitFor();
  const subject = `Wedding flowers ${crypto.randomUUID().slice(0, 6)}`;
  await page.locator("#email-subject").fill(subject);
  await page.locator("#email-body").fill("Here is the quote.");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByTestId("countdown").waitFor();
  await page.getByRole("button", { name: "Close now" }).click();
  // The new thread is open behind.
  await page.locator(".reader-title h1", { hasText: subject }).waitFor();
  await page.locator(".email-card", { hasText: email }).waitFor();

  // Reply: a window titled "Reply", addressed and with "Re:"; "Name <address>" is taken too.
  await page.locator(".reader-head").getByRole("button", { name: "Reply" }).click();
  await page.locator("dialog.modal[open]").waitFor();
  assert.equal(await page.locator("#email-title").textContent(), "Reply");
  assert.equal(await page.locator("#email-subject").inputValue(), `Re: ${subject}`);
  await page.locator("#email-to").fill(`${name} <${email}>`);
  await page.locator("#email-body").fill("Also: peonies.");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByTestId("countdown").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("the sandbox says nothing leaves the machine, and simulates an email reply", async () => {
  const email = randomEmail();
  const sent = await post<{ conversation_id: string }>(base, "/api/send_email", {
    to_email: email,
    subject: "Your order",
    body: "Ready on Friday.",
  });
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${base}/?c=${sent.conversation_id}`);
  await waitLive(page);
  const panel = page.locator(".sandbox");
  await panel.locator(".sandbox-plain", { hasText: "Nothing leaves this machine" }).waitFor();
  await page.locator("#sandbox-text").fill("Friday works, thanks!");
  await panel.getByRole("button", { name: "Receive" }).click();
  await page.locator(".email-card", { hasText: "Friday works, thanks!" }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});
