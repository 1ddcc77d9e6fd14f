// Send later in the browser: schedule a text from the composer, change it, cancel it.
import assert from "node:assert/strict";
import { randomPhone, test } from "@/tests/helpers.ts";
import { get, launchBrowser, openPage, sendSms, signIn, startHatch, waitLive } from "./harness.ts";

const hatch = await startHatch();
await signIn();
const browser = await launchBrowser();

test("a text scheduled from the composer shows as scheduled, is edited, then cancelled", async () => {
  const { conversation_id } = await sendSms(hatch.url, randomPhone(), "Booking confirmed");
  const { page, context, errors } = await openPage(browser, { timeZone: "America/New_York" });
  await page.goto(`${hatch.url}/?c=${conversation_id}`);
  await waitLive(page);
  await page.locator("#composer-text").fill("Reminder: your table at 7");
  await page.getByRole("button", { name: "Send later" }).click();
  await page.getByRole("button", { name: /^Tomorrow, 9:00 AM/ }).click();
  const bubble = page.locator(".msg", { hasText: "Reminder: your table at 7" });
  const note = bubble.getByTestId("scheduled-note");
  await note.waitFor();
  assert.match((await note.textContent())!, /Scheduled for .*9:00 AM/);
  assert.equal(await page.locator("#composer-text").inputValue(), "");
  const id = (await bubble.getAttribute("data-message"))!;
  const scheduled = await get<{ message: { send_at: string; status: string } }>(
    hatch.url,
    `/api/message/${id}`,
  );
  assert.equal(scheduled.message.status, "queued");
  // 9:00 in New York is 13:00 or 14:00 UTC, whatever the season.
  assert.match(scheduled.message.send_at, /T1[34]:00:00\.000Z$/);

  await note.getByRole("button", { name: "Edit" }).click();
  await note.locator("textarea").fill("Reminder: your table at 8");
  await note.getByRole("button", { name: "Save" }).click();
  const edited = page.locator(".msg", { hasText: "Reminder: your table at 8" });
  await edited.getByTestId("scheduled-note").waitFor();

  await edited.getByRole("button", { name: "Cancel send" }).click();
  await edited.locator(".msg-error", { hasText: "Cancelled by" }).waitFor();
  const after = await get<{ message: { status: string; error_code: string } }>(
    hatch.url,
    `/api/message/${id}`,
  );
  assert.deepEqual([after.message.status, after.message.error_code], ["failed", "canceled"]);
  assert.deepEqual(errors, []);
  await context.close();
});
