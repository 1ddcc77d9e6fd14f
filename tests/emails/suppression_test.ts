// Sends to suppressed addresses (bounced, reported spam) are refused before anything is stored.
import assert from "node:assert/strict";
import { jsonRequest, randomEmail, startTestApp, test } from "@/tests/helpers.ts";
import { suppressAddress } from "@/lib/emails/suppressions.ts";

const t = await startTestApp();
const sql = t.ctx.sql;

async function counts() {
  const [{ emails }] = await sql`select count(*)::int as emails from emails`;
  const [{ conversations }] = await sql`select count(*)::int as conversations from conversations`;
  return { emails, conversations };
}

for (const field of ["to_email", "cc", "bcc"] as const) {
  test(`a suppressed address in ${field} is refused with 422 and nothing is stored`, async () => {
    const bad = randomEmail();
    await suppressAddress(sql, {
      email: bad,
      reason: "bounce",
      detail: "550 5.1.1 unknown user",
      at: new Date("2026-03-04T10:00:00Z"),
    });
    const before = await counts();
    const res = await jsonRequest(t.app, "/api/send_email", {
      to_email: randomEmail(),
      subject: "Hi",
      body: "Hello",
      // The address written with capitals still matches.
      [field]: bad.toUpperCase(),
    });
    assert.equal(res.status, 422);
    assert.deepEqual(await res.json(), {
      success: false,
      error: `Cannot send email to "${bad}": it bounced on 2026-03-04`,
    });
    assert.deepEqual(await counts(), before);
  });
}

test("a spam report is named as such, and the first reason recorded is kept", async () => {
  const bad = randomEmail();
  await suppressAddress(sql, { email: bad, reason: "spamreport", at: new Date("2026-01-02Z") });
  await suppressAddress(sql, { email: bad, reason: "bounce" });
  const res = await jsonRequest(t.app, "/api/send_email", {
    to_email: bad,
    subject: "Hi",
    body: "Hello",
  });
  assert.equal(res.status, 422);
  assert.equal(
    (await res.json()).error,
    `Cannot send email to "${bad}": it was reported as spam on 2026-01-02`,
  );
});
