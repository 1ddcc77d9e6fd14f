// Contact import from CSV: mapping, normalised numbers, merges, labels, and the skipped rows.
import assert from "node:assert/strict";
import { startWorker } from "@/lib/delivery/worker.ts";
import {
  jsonRequest,
  onTeardown,
  randomPhone,
  startTestApp,
  test,
  waitUntil,
} from "@/tests/helpers.ts";

const t = await startTestApp();
const worker = await startWorker({
  sql: t.ctx.sql,
  databaseUrl: t.databaseUrl,
  settings: t.ctx.settings,
});
onTeardown(() => worker.stop());

function national(e164: string): string {
  return `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;
}

test("an import maps columns, normalises numbers, merges duplicates and reports skipped rows", async () => {
  const known = randomPhone();
  const created = await jsonRequest(t.app, "/api/contacts", {
    name: "Known Person",
    phones: [known],
  });
  const { contact } = await created.json();
  const fresh = randomPhone();
  const label = `import-${crypto.randomUUID().slice(0, 6)}`;
  const csv = [
    "Mobile,Given,Family,Mail",
    `${national(fresh)},Rosa,Diaz,ROSA.${label}@example.com`,
    `${known},Someone,Else,`,
    `not a phone,Bad,Number,`,
    `,No,Address,`,
    `${fresh},Rosa,Again,`,
  ].join("\n");
  const res = await jsonRequest(t.app, "/api/contact_imports", {
    csv,
    mapping: { phone: "Mobile", first_name: "Given", last_name: "Family", email: "Mail" },
    labels: [label],
  });
  assert.equal(res.status, 202, await res.clone().text());
  const { import: started } = await res.json();
  const done = await waitUntil(t.ctx.sql, async () => {
    const r = await (await t.app.request(`/api/contact_imports/${started.id}`)).json();
    return r.import.state === "finished" ? r.import : undefined;
  });
  assert.equal(done.total, 5);
  assert.equal(done.processed, 5);
  assert.equal(done.created, 1);
  assert.equal(done.merged, 2, "the known number, and the repeat of the new one");
  assert.deepEqual(done.skipped, [
    { row: 4, reason: '"not a phone" is not a valid phone number' },
    { row: 5, reason: "no phone number or email" },
  ]);
  const [rosa] = await t.ctx.sql`
    select c.name, e.email from contact_phones p join contacts c on c.id = p.contact_id
    left join contact_emails e on e.contact_id = c.id where p.phone = ${fresh}`;
  assert.deepEqual({ ...rosa }, { name: "Rosa Diaz", email: `rosa.${label}@example.com` });
  const labelled = await t.ctx.sql`
    select c.name from contact_labels l join contacts c on c.id = l.contact_id
    where l.label = ${label} order by c.name`;
  assert.deepEqual(labelled.map((r) => r.name), ["Known Person", "Rosa Diaz"]);
  const [keep] = await t.ctx.sql`select name from contacts where id = ${contact.id}`;
  assert.equal(keep.name, "Known Person", "a merge keeps the existing contact's name");
});

test("a mapping to a column the file lacks, or a file without addresses, is refused in words", async () => {
  const missing = await jsonRequest(t.app, "/api/contact_imports", {
    csv: "phone,name\n+14155550100,A",
    mapping: { phone: "Cell" },
  });
  assert.equal(missing.status, 400);
  assert.match((await missing.json()).error, /mapping\.phone: the CSV has no column "Cell"/);
  const none = await jsonRequest(t.app, "/api/contact_imports", { csv: "name,city\nA,B" });
  assert.equal(none.status, 400);
  assert.match((await none.json()).error, /no phone or email column/);
});
