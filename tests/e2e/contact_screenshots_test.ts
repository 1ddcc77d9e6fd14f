// The README's screenshots of contacts and search, from a real Hatch on the showcase database:
// Maria Chen's page (her texts and the emails about her order in one timeline) and the inbox's
// filter box finding a word in message text.
import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";
import { conversationId } from "@/lib/conversations/conversation_id.ts";
import { afternoonZone, DOCS_DIR, launchBrowser, openSettled } from "./harness.ts";
import { SHOP, startShowcase } from "./showcase.ts";

const { db, hatch } = await startShowcase("contact_shots");
const MARIA = "maria.chen@example.com";
const mariaId = await addMariasEmails(db.sql);
const browser = await launchBrowser();
const zone = afternoonZone();

/** Maria also emails: her address joins her contact, with a short email thread about the order. */
async function addMariasEmails(sql: typeof db.sql): Promise<string> {
  const [maria] = await sql`select id from contacts where name = 'Maria Chen'`;
  await sql`insert into contact_emails (email, contact_id) values (${MARIA}, ${maria.id})`;
  await sql`update contacts set notes = ${
    "Wedding on Saturday. Bridal bouquet in blush and ivory with eucalyptus, boutonniere and a " +
    "petite flower crown for her niece. Pickup Saturday at 8am."
  } where id = ${maria.id}`;
  const id = conversationId(SHOP.email, MARIA);
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
  const subject = "Your order for Saturday: bridal bouquet and boutonniere";
  const mails: [number, "inbound" | "outbound", string, string][] = [
    [
      24 * 60 + 20,
      "outbound",
      subject,
      "Hi Maria,\n\nHere is your order for Saturday: a hand-tied bridal bouquet in blush and " +
      "ivory with eucalyptus ($165) and a matching boutonniere ($18). Everything is reserved " +
      "for pickup at 8am.\n\nWarmly,\nAna at Marigold",
    ],
    [
      3 * 60,
      "inbound",
      `Re: ${subject}`,
      "Thank you Ana! Could you send the invoice to this address? My planner needs a copy.",
    ],
  ];
  await sql`insert into conversations (id, channel, participants, subject, last_message_at,
    last_message_preview, last_direction, message_count, unread_count, created_at)
    values (${id}, 'email', ${[SHOP.email, MARIA]}, ${subject}, ${at(mails[1][0])},
      ${mails[1][3].slice(0, 160)}, 'inbound', 2, 0, ${at(mails[0][0])})`;
  for (const [ago, dir, subj, body] of mails) {
    await sql`insert into emails (conversation_id, direction, from_email, to_email, subject, body,
      status, created_at, updated_at)
      values (${id}, ${dir}, ${dir === "inbound" ? MARIA : SHOP.email},
        ${dir === "inbound" ? SHOP.email : MARIA}, ${subj}, ${body},
        ${dir === "inbound" ? "received" : "delivered"}, ${at(ago)}, ${at(ago)})`;
  }
  return maria.id as string;
}

test("screenshot: a contact's page, their texts and emails in one timeline", async () => {
  const { page, context, errors } = await openSettled(browser, `${hatch.url}/contacts/${mariaId}`, {
    timeZone: zone,
  });
  const kinds = await page.locator(".tl-entry").evaluateAll((els) =>
    els.map((e) => e.getAttribute("data-kind"))
  );
  assert.ok(kinds.includes("email") && kinds.includes("message"), "SMS and email together");
  await page.screenshot({ path: `${DOCS_DIR}contact.png` });
  assert.deepEqual(errors, []);
  await context.close();
});

test("screenshot: the filter box finding a word in messages, and the thread it opens", async () => {
  const { page, context, errors } = await openSettled(browser, `${hatch.url}/`, { timeZone: zone });
  // The hits of a shorter prefix ("pe") may show while typing: wait for the whole word's.
  const answered = page.waitForResponse((r) =>
    r.url().includes("/api/search") && new URL(r.url()).searchParams.get("q") === "peonies"
  );
  await page.locator("#filter").pressSequentially("peonies", { delay: 30 });
  await answered;
  const hit = page.locator(".hits a.hit", { hasText: "bridal bouquet" });
  await hit.waitFor();
  await hit.click();
  await page.locator(".msg.is-found").waitFor();
  await page.locator("#filter").blur();
  await page.waitForTimeout(350);
  await page.screenshot({ path: `${DOCS_DIR}search.png` });
  assert.deepEqual(errors, []);
  await context.close();
});
