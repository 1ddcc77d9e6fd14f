// Settings → Webhooks: add an endpoint (its secret shown once), see its delivery log with the
// answer, and send a delivery again.
import assert from "node:assert/strict";
import { onTeardown, randomPhone, test } from "@/tests/helpers.ts";
import { launchBrowser, openPage, post, sendSms, signIn, startHatch } from "./harness.ts";

const hatch = await startHatch();
await signIn();
const browser = await launchBrowser();
let hits = 0;
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
  await req.text();
  hits++;
  return new Response("ok");
});
onTeardown(() => server.shutdown());
const url = `http://127.0.0.1:${server.addr.port}/hook-${crypto.randomUUID().slice(0, 6)}`;

test("an endpoint added in Settings shows its secret once, its log, and sends again", async () => {
  const { page, context, errors } = await openPage(browser);
  await page.goto(`${hatch.url}/settings#webhooks`);
  // Typed before the island hydrates, the field would be emptied by it.
  await page.locator(".webhooks[data-ready]").waitFor();
  await page.getByLabel("Endpoint URL").fill(url);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  assert.match((await page.getByTestId("webhook-secret").textContent())!, /whsec_/);
  const { conversation_id } = await sendSms(hatch.url, randomPhone(), "Hello");
  await post(hatch.url, "/api/sandbox/inbound", { conversation_id, body: "Hi back" });
  const item = page.locator(`[data-webhook="${url}"]`);
  // The log is read when opened: open it until the delivery is there.
  await item.getByRole("button", { name: "Delivery log" }).click();
  const row = item.locator("tr[data-delivery]", { hasText: "succeeded" });
  for (let i = 0; i < 40 && !(await row.count()); i++) {
    await page.reload();
    // A click before the island hydrates does nothing, and no log would open.
    await page.locator(".webhooks[data-ready]").waitFor();
    await item.getByRole("button", { name: "Delivery log" }).click();
    await item.locator("table").waitFor();
  }
  assert.match((await row.first().textContent())!, /message\.received.*succeeded.*1.*200/);
  await row.first().getByRole("button", { name: "Send again" }).click();
  await item.locator("tr[data-delivery]").nth(1).waitFor();
  // Its receiver stops with this file: the endpoint goes too, or later files' events would be
  // retried against a closed port.
  await item.getByRole("button", { name: "Delete" }).click();
  await item.waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
  await context.close();
  assert.ok(hits >= 1);
});
