// Who sent what, with two colleagues in two browsers: each outbound message records its sender
// (user or API token); bubbles and list previews name a colleague and say "You" only for one's
// own; display names are set in Settings (one's own, and an admin's rename of someone else) and
// the sidebar shows them.
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { randomPhone, test, testDatabaseUrl } from "@/tests/helpers.ts";
import { type Credentials, makeCredentials } from "./auth.ts";
import { launchBrowser, startHatch, trackRequests, waitLive, watchErrors } from "./harness.ts";

const hatch = await startHatch();
const base = hatch.url;
const browser = await launchBrowser();
const tag = crypto.randomUUID().slice(0, 6);
const lily = (await makeCredentials(testDatabaseUrl(), `lily-${tag}@marigold.shop`))!;
const ana = (await makeCredentials(testDatabaseUrl(), `ana-${tag}@marigold.shop`))!;

async function as(
  who: Credentials,
  b: Browser,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await b.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" });
  await context.addCookies([{ ...who.cookie, domain: "127.0.0.1", path: "/", httpOnly: true }]);
  const page = await context.newPage();
  const errors = watchErrors(page);
  trackRequests(page);
  return { context, page, errors };
}

test("two colleagues: each sees the other's name on messages and previews, and You for their own", async () => {
  const l = await as(lily, browser);
  const a = await as(ana, browser);

  // Lily names herself; as an admin she also names Ana.
  await l.page.goto(`${base}/settings`);
  await l.page.locator("#display-name").fill(`Lily ${tag}`);
  await l.page.getByRole("button", { name: "Save name" }).click();
  await l.page.locator("#display-name-help", { hasText: "Saved" }).waitFor();
  await l.page.getByRole("button", { name: `Rename ${ana.email}` }).click();
  await l.page.locator("#rename-name").fill(`Ana ${tag}`);
  await l.page.locator("dialog[open]").getByRole("button", { name: "Save name" }).click();
  await l.page.locator(`tr[data-user="${ana.email}"] .cell-main`, { hasText: `Ana ${tag}` })
    .waitFor();

  // The sidebar shows names, not addresses.
  await l.page.goto(`${base}/`);
  await waitLive(l.page);
  await l.page.locator(".sidebar-foot .me-email", { hasText: `Lily ${tag}` }).waitFor();
  await a.page.goto(`${base}/`);
  await waitLive(a.page);
  await a.page.locator(".sidebar-foot .me-email", { hasText: `Ana ${tag}` }).waitFor();

  // Lily texts a customer from the inbox.
  const phone = randomPhone();
  const words = `Your tulips are ready ${tag}`;
  await l.page.getByRole("button", { name: "New conversation" }).first().click();
  await l.page.locator("#new-conv-to").fill(phone);
  await l.page.locator(".new-conv-choice.is-active", { hasText: "SMS" }).waitFor();
  await l.page.keyboard.press("Enter");
  await l.page.locator("#composer-text").fill(words);
  await l.page.keyboard.press("Enter");
  const mine = l.page.locator('.msg-out:not([data-status^="local"])', { hasText: words });
  await mine.waitFor();
  assert.equal(await mine.locator(".msg-sender").textContent(), "You");
  await l.page.locator("a.row", { hasText: words }).locator(".row-you", { hasText: "You:" })
    .waitFor();

  // Ana sees it live as Lily's: in the list's preview and on the bubble.
  const row = a.page.locator("a.row", { hasText: words });
  await row.locator(".row-you", { hasText: `Lily ${tag}:` }).waitFor();
  await row.click();
  const theirs = a.page.locator(".msg-out", { hasText: words });
  await theirs.waitFor();
  assert.equal(await theirs.locator(".msg-sender").textContent(), `Lily ${tag}`);

  // Ana answers through her API token: Lily sees it as Ana's, sent through the API.
  const viaApi = `Delivery at 5 ${tag}`;
  const res = await fetch(`${base}/api/send_message`, {
    method: "POST",
    headers: { authorization: `Bearer ${ana.bearer}`, "content-type": "application/json" },
    body: JSON.stringify({ to: phone, content: viaApi }),
  });
  const sent = await res.json();
  assert.equal(res.status, 202, JSON.stringify(sent));
  const fromAna = l.page.locator(".msg-out", { hasText: viaApi });
  await fromAna.waitFor();
  assert.equal(await fromAna.locator(".msg-sender").textContent(), `Ana ${tag} (API)`);
  await l.page.locator("a.row", { hasText: viaApi }).locator(".row-you", { hasText: `Ana ${tag}:` })
    .waitFor();

  // The API says who sent it too.
  const { message } = await (await fetch(`${base}/api/message/${sent.message_id}`, {
    headers: { authorization: `Bearer ${lily.bearer}` },
  })).json();
  assert.equal(message.sent_by.name, `Ana ${tag} (API)`);
  assert.ok(message.sent_by.token_id, "the token is recorded");

  assert.deepEqual(l.errors, []);
  assert.deepEqual(a.errors, []);
  await l.context.close();
  await a.context.close();
});
