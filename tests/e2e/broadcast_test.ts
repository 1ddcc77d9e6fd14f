// A small broadcast from the browser: CSV upload, preview, start, and its progress live.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { randomPhone, test } from "@/tests/helpers.ts";
import { get, launchBrowser, openPage, signIn, startHatch } from "./harness.ts";

const hatch = await startHatch({ env: { HATCH_QUIET_HOURS: "off", TWILIO_MPS: "5" } });
await signIn();
const browser = await launchBrowser();

test("a broadcast is previewed, started, and its progress moves live to delivered", async () => {
  const phones = [randomPhone(), randomPhone(), randomPhone()];
  const csv = ["phone,first_name", ...phones.map((p, i) => `${p},Ana${i}`), "not a number,Bob"]
    .join("\n");
  const { page, context, errors } = await openPage(browser);
  // The way there: the inbox's sidebar links to the broadcasts.
  await page.goto(`${hatch.url}/`);
  const link = page.locator(".app-nav").getByRole("link", { name: "Broadcasts" });
  await link.click();
  await page.waitForURL(`${hatch.url}/broadcasts`);
  await page.getByRole("heading", { name: "Broadcasts", level: 1 }).waitFor();
  // Typed before the island hydrates, the fields would be emptied by it.
  await page.locator(".broadcasts[data-ready]").waitFor();
  const form = page.locator(".broadcasts");
  await form.getByLabel("Name", { exact: true }).fill("Open house");
  await form.getByLabel("Message", { exact: true }).fill(
    "Hi {{contact.first_name}}, open house on Saturday",
  );
  await form.getByLabel(/^A CSV file/).check();
  await form.getByLabel("CSV file", { exact: true }).setInputFiles({
    name: "guests.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv),
  });
  await form.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByTestId("broadcast-preview");
  await preview.waitFor();
  const words = (await preview.textContent())!;
  assert.match(words, /3 texts, 1 segment each \(GSM-7\)/);
  assert.match(words, /1\s+without a valid number/);
  assert.match(words, /Hi Ana0, open house on Saturday/);
  await page.getByRole("button", { name: "Start broadcast" }).click();
  const item = page.locator(".broadcast", { hasText: "Open house" });
  await item.waitFor();
  // No reload: the live stream moves the counts until every text is delivered.
  await item.locator('[data-fact="delivered"] dd', { hasText: "3" }).waitFor({ timeout: 20_000 });
  await page.locator('.broadcast[data-state="finished"]', { hasText: "Open house" })
    .waitFor({ timeout: 20_000 });
  const id = (await item.getAttribute("data-broadcast"))!;
  const { broadcast } = await get<{ broadcast: { progress: { delivered: number } } }>(
    hatch.url,
    `/api/broadcasts/${id}`,
  );
  assert.equal(broadcast.progress.delivered, 3);
  assert.deepEqual(errors, []);
  await context.close();
});

test("contacts imported from a CSV with a label are then a broadcast's audience", async () => {
  const label = `guests${crypto.randomUUID().slice(0, 4)}`;
  const [a, b] = [randomPhone(), randomPhone()];
  const csv = ["Cell,First Name,Last Name", `${a},Ana,Ruiz`, "12,Bad,Row", `${b},Ben,Okafor`]
    .join("\n");
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${hatch.url}/broadcasts#import`);
  await page.locator(".contact-import[data-ready]").waitFor();
  const importer = page.locator(".contact-import");
  await importer.getByLabel("CSV file").setInputFiles({
    name: "guests.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv),
  });
  // The columns were guessed from the header.
  assert.equal(await importer.getByRole("combobox", { name: "Phone" }).inputValue(), "Cell");
  assert.equal(
    await importer.getByRole("combobox", { name: "First name" }).inputValue(),
    "First Name",
  );
  await importer.getByLabel(/^Labels/).fill(label);
  await importer.getByRole("button", { name: "Import contacts" }).click();
  const report = page.locator('[data-testid="import-report"][data-state="finished"]');
  await report.waitFor();
  assert.match((await report.textContent())!, /3 of 3 rows: 2 new, 0 merged .*1 skipped/);
  assert.match((await report.textContent())!, /Row 3: "12" is not a valid phone number/);

  const form = page.locator(".broadcasts");
  await form.getByLabel("Message", { exact: true }).fill("Hi {{contact.first_name}}!");
  await form.getByLabel("Label", { exact: true }).fill(label);
  await form.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByTestId("broadcast-preview");
  await preview.waitFor();
  assert.match((await preview.textContent())!, /2 texts/);
  assert.deepEqual(errors, []);
  await context.close();
});
