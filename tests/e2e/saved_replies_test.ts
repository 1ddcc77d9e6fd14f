// Saved replies: managed in Settings, inserted in the composer with `/`; a variable with no value
// is shown before sending and the text cannot go out with {{…}} in it.
import assert from "node:assert/strict";
import { randomPhone, test } from "@/tests/helpers.ts";
import { launchBrowser, openPage, post, sendSms, signIn, startHatch, waitLive } from "./harness.ts";

const hatch = await startHatch({ env: { HATCH_BUSINESS_NAME: "Blue Door Bakery" } });
await signIn();
const browser = await launchBrowser();
const suffix = crypto.randomUUID().slice(0, 4);

test("a reply saved in Settings is inserted with / and its variables filled in", async () => {
  const phone = randomPhone();
  const contact = await post<{ contact: { id: string } }>(hatch.url, "/api/contacts", {
    name: "Maya Chen",
    phones: [phone],
  });
  assert.ok(contact.contact.id);
  const { conversation_id } = await sendSms(hatch.url, phone, "Hello");
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${hatch.url}/settings#replies`);
  await page.getByRole("button", { name: "New saved reply" }).click();
  await page.getByLabel(/^Title/).fill(`opening${suffix}`);
  await page.getByLabel("Reply", { exact: true }).fill(
    "Hi {{contact.first_name}}, {{business.name}} opens at 8 tomorrow",
  );
  await page.getByRole("button", { name: "Save reply" }).click();
  await page.locator(`[data-reply="opening${suffix}"]`).waitFor();

  await page.goto(`${hatch.url}/?c=${conversation_id}`);
  await waitLive(page);
  const box = page.locator("#composer-text");
  await box.click();
  await page.keyboard.type(`/opening${suffix.slice(0, 2)}`);
  const menu = page.getByRole("listbox", { name: "Saved replies" });
  await menu.getByRole("option", { name: new RegExp(`opening${suffix}`) }).waitFor();
  await page.keyboard.press("Enter");
  assert.equal(await box.inputValue(), "Hi Maya, Blue Door Bakery opens at 8 tomorrow");
  await page.keyboard.press("Enter");
  await page.locator(".msg", { hasText: "Hi Maya, Blue Door Bakery opens at 8 tomorrow" })
    .waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a variable with no value is shown before sending, and Send waits until it is written in", async () => {
  const { conversation_id } = await sendSms(hatch.url, randomPhone(), "Hello");
  await post(hatch.url, "/api/saved_replies", {
    title: `named${suffix}`,
    body: "Hi {{contact.first_name}}, your order is ready",
  });
  const { page, context } = await openPage(browser);
  await page.goto(`${hatch.url}/?c=${conversation_id}`);
  await waitLive(page);
  const box = page.locator("#composer-text");
  await box.click();
  await page.keyboard.type(`/named${suffix}`);
  await page.getByRole("option", { name: new RegExp(`named${suffix}`) }).waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await box.inputValue(), "Hi {{contact.first_name}}, your order is ready");
  const warning = page.getByTestId("missing-variables");
  assert.match((await warning.textContent())!, /No value for \{\{contact\.first_name\}\}/);
  assert.ok(await page.getByRole("button", { name: "Send message" }).isDisabled());
  await box.fill("Hi Sam, your order is ready");
  assert.equal(await warning.count(), 0);
  assert.ok(await page.getByRole("button", { name: "Send message" }).isEnabled());
  await context.close();
});
