// `hatch import lean-hatch`: a database made with the prototype's own table definitions, 5,000
// rows with its odd values, copied into Hatch; the conversation ids are the prototype's, and a
// re-run (through the CLI) adds nothing.
import assert from "node:assert/strict";
import { connect, type Sql, withDatabase } from "@/lib/db/connect.ts";
import { ensureDatabase } from "@/lib/db/embedded.ts";
import { importLeanHatch, type ImportSummary } from "@/lib/import/lean_hatch.ts";
import { onTeardown, ownDatabase, test, testAdminUrl } from "@/tests/helpers.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

// What SQLAlchemy creates for lean_hatch's data_model/database_model.py (User, Message, dbEmail)
// on PostgreSQL: its defaults live in Python, so the columns have none.
const PROTOTYPE_DDL = `
create table public.users (id uuid not null, name varchar, email varchar, primary key (id));
create table public.messages (
  id uuid not null, to_contact varchar, from_contact varchar, body varchar, type varchar,
  "timestamp" timestamp without time zone, status varchar, conversation_id uuid,
  external_sid varchar, direction varchar, error_code integer, error_message varchar,
  num_media integer, num_segments integer, price float, price_unit varchar,
  date_sent timestamp without time zone, date_updated timestamp without time zone,
  primary key (id));
create table public.emails (
  id uuid not null, to_contact varchar not null, from_contact varchar not null,
  subject varchar not null, body text, html_content text, type varchar,
  "timestamp" timestamp without time zone, status varchar, conversation_id uuid,
  direction varchar, cc varchar, bcc varchar, reply_to varchar, attachments varchar,
  external_message_id varchar, provider varchar, provider_response text,
  date_sent timestamp without time zone, date_updated timestamp without time zone,
  error_code integer, error_message varchar, primary key (id));`;

// The prototype's generate_conversation_id in SQL, for the bulk rows (byte order = Python's
// code-point sort); the hand-written rows below are checked against values its Python printed.
const PROTOTYPE_ID = (a: string, b: string) =>
  `(select (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' ||
     substr(h, 17, 4) || '-' || substr(h, 21, 12))::uuid
    from (select encode(sha256(convert_to(least(${a} collate "C", ${b} collate "C") ||
      greatest(${a} collate "C", ${b} collate "C"), 'UTF8')), 'hex') as h) x)`;

// generate_conversation_id(to, from) as the prototype's Python computed it.
const PYTHON_IDS: [string, string, string][] = [
  ["+14155550100", "+15005550006", "2b7c4481-1eb5-7d66-a3f4-922b5c69cbb3"],
  ["ana@example.com", "hatch@sandbox.local", "89a5529d-b36c-4e50-c697-78b1a27c1dff"],
  ["+447700900123", "+15005550006", "678120c5-c7a2-1b7f-7df0-2d5aafbe0d3f"],
  ["Zoë Ünïcode", "Hatch", "5af26af1-c25d-2bd0-8abc-649e1e99cd12"],
  ["+14155550199", "+14155550101", "1aa8a02f-f1ad-c366-8930-cec3f83c0da4"],
];

async function prototypeDatabase(): Promise<{ url: string; sql: Sql }> {
  const name = `hatch_test_lean_${crypto.randomUUID().slice(0, 8)}`;
  await ensureDatabase(testAdminUrl(), name);
  const url = withDatabase(testAdminUrl(), name);
  const sql = connect(url, { max: 1, statementTimeoutMs: 0 });
  onTeardown(async () => {
    await sql.end();
    const admin = connect(testAdminUrl(), { max: 1 });
    await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await admin.end();
  });
  await sql.unsafe(PROTOTYPE_DDL);
  return { url, sql };
}

/** 4,000 messages and 1,000 emails over 250 customers, with the prototype's odd values. */
async function fillPrototype(sql: Sql): Promise<void> {
  const phone = `'+1415555' || lpad((i % 200)::text, 4, '0')`;
  await sql.unsafe(`
    insert into messages (id, to_contact, from_contact, body, type, "timestamp", status,
      conversation_id, external_sid, direction, error_code, error_message, num_media,
      num_segments, price, price_unit, date_sent, date_updated)
    select gen_random_uuid(), t, f, 'message ' || i, case when i % 10 = 0 then 'mms' else 'sms' end,
      timestamp '2024-01-01' + i * interval '1 minute',
      (array['delivered', 'sent', 'received', 'failed', 'undelivered', null, 'queued'])[i % 7 + 1],
      case when i % 9 = 0 then null else ${PROTOTYPE_ID("t", "f")} end,
      'SM' || md5(i::text),
      (array['outbound-api', 'inbound', 'inbound-api', 'outbound-reply', null])[i % 5 + 1],
      case when i % 7 = 3 then 30003 end, case when i % 7 = 3 then 'Unreachable handset' end,
      i % 3, 1, case when i % 4 = 0 then -0.0079 end, 'USD', null, null
    from generate_series(1, 4000) i,
      lateral (select case when i % 5 in (1, 2) then '+15005550006' else ${phone} end as t,
                      case when i % 5 in (1, 2) then ${phone} else '+15005550006' end as f) p`);
  await sql.unsafe(`
    insert into emails (id, to_contact, from_contact, subject, body, html_content, type,
      "timestamp", status, conversation_id, direction, cc, bcc, reply_to, attachments,
      external_message_id, provider, provider_response, date_sent, date_updated)
    select gen_random_uuid(), 'customer' || (i % 50) || '@example.com', 'hatch@sandbox.local',
      'Order ' || i, case when i % 11 = 0 then null else 'Body ' || i end, '<p>' || i || '</p>',
      'email', timestamp '2024-02-01' + i * interval '1 minute',
      case when i % 13 = 0 then null else 'sent' end,
      ${PROTOTYPE_ID(`'customer' || (i % 50) || '@example.com'`, `'hatch@sandbox.local'`)},
      'outbound-api', '["boss@example.com", "ops@example.com"]', '[]', null,
      case when i % 100 = 0 then '[{"filename": "a.pdf"}]' end, 'sg-' || i, 'sendgrid',
      case when i % 2 = 0 then '{"status_code": 202}' else 'not json' end, null, null
    from generate_series(1, 1000) i`);
  // The hand-written odd ones: no conversation id (the Python values above), an unknown
  // direction, no recipient, pending without a SID, a SID twice, no timestamp.
  const odd = [
    ...PYTHON_IDS.map(([to, from], n) =>
      sql`insert into messages (id, to_contact, from_contact, body, "timestamp", status, direction)
        values (gen_random_uuid(), ${to}, ${from}, ${`python ${n}`}, '2024-03-01 12:00:00',
          null, 'outbound-api')`
    ),
    sql`insert into messages (id, to_contact, from_contact, body, "timestamp", direction)
      values ('00000000-0000-4000-8000-000000000001', '+14155550111', '+15005550006', 'x',
        now(), 'sideways')`,
    sql`insert into messages (id, to_contact, from_contact, body, "timestamp", direction)
      values ('00000000-0000-4000-8000-000000000002', null, '+15005550006', 'x', now(),
        'outbound-api')`,
    sql`insert into messages (id, to_contact, from_contact, body, "timestamp", status, direction)
      values ('00000000-0000-4000-8000-000000000003', '+14155550112', '+15005550006', 'pending',
        now(), 'pending', 'outbound-api')`,
    sql`insert into messages (id, to_contact, from_contact, body, "timestamp", status,
        direction, external_sid)
      values ('ffffffff-0000-4000-8000-000000000004', '+14155550113', '+15005550006', 'twice',
        now(), 'sent', 'outbound-api', 'SM' || md5('1'))`,
    sql`insert into messages (id, to_contact, from_contact, body, date_sent, status, direction)
      values ('00000000-0000-4000-8000-000000000005', '+15005550006', '+14155550114', null,
        '2024-04-01 08:30:00', null, null)`,
  ];
  for (const q of odd) await q;
}

const total = (s: ImportSummary) => s.messages.imported + s.emails.imported;

test("a lean_hatch database comes in with the prototype's conversation ids; a re-run adds nothing", async () => {
  const proto = await prototypeDatabase();
  await fillPrototype(proto.sql);
  const hatch = await ownDatabase("import", { max: 4 });
  const progress: [number, number][] = [];
  const summary = await importLeanHatch(hatch.sql, proto.url, {
    onProgress: (done, all) => progress.push([done, all]),
  });

  assert.equal(summary.messages.read, 4010);
  assert.equal(summary.emails.read, 1000);
  assert.equal(summary.messages.skipped, 3, JSON.stringify([...summary.skipped]));
  assert.equal(summary.messages.imported, 4007);
  assert.equal(summary.emails.imported, 1000);
  assert.deepEqual(progress.at(-1), [5010, 5010]);
  const reasons = [...summary.skipped.keys()];
  assert.ok(reasons.includes(`messages: unknown direction "sideways"`), reasons.join("\n"));
  assert.ok(reasons.includes("messages: no sender or no recipient"));
  assert.ok(reasons.some((r) => r.startsWith(`messages: provider id "SM`)));
  assert.ok(summary.leftOut.some((l) => l.startsWith("users:")));

  // Every row's conversation is the one the prototype stored, or would have computed.
  const stored = new Map(
    (await proto.sql.unsafe(`
      select id::text, coalesce(conversation_id, ${
      PROTOTYPE_ID("to_contact", "from_contact")
    })::text
        as conversation_id from messages where to_contact is not null
      union all select id::text, conversation_id::text from emails`))
      .map((r) => [r.id as string, r.conversation_id as string]),
  );
  const imported = await hatch.sql`
    select id::text, conversation_id::text from messages
    union all select id::text, conversation_id::text from emails`;
  assert.equal(imported.length, 5007);
  for (const r of imported) assert.equal(r.conversation_id, stored.get(r.id), `row ${r.id}`);
  for (const [to, from, expected] of PYTHON_IDS) {
    const [row] = await hatch.sql`
      select conversation_id::text from messages where to_contact = ${to} and from_contact = ${from}
      union all select conversation_id::text from emails
        where to_email = ${to} and from_email = ${from} limit 1`;
    assert.equal(row?.conversation_id, expected, `${to} / ${from}`);
  }

  // Conversations: counted from their rows; emails in email conversations.
  const [mismatch] = await hatch.sql`
    select count(*)::int as n from conversations c
    where message_count <> (select count(*) from messages m where m.conversation_id = c.id)
      + (select count(*) from emails e where e.conversation_id = c.id)`;
  assert.equal(mismatch.n, 0);
  const [emailConv] = await hatch.sql`
    select c.channel, c.participants, e.cc from emails e join conversations c
      on c.id = e.conversation_id limit 1`;
  assert.equal(emailConv.channel, "email");
  assert.deepEqual(emailConv.participants[0], "hatch@sandbox.local");
  assert.equal(emailConv.cc, "boss@example.com, ops@example.com");

  // Statuses, directions, SIDs, codes and naive timestamps (read as UTC).
  const byId = async (id: string) => (await hatch.sql`select * from messages where id = ${id}`)[0];
  const pending = await byId("00000000-0000-4000-8000-000000000003");
  assert.equal(pending.status, "failed");
  assert.match(pending.error_message, /never handed to the provider/);
  const noDate = await byId("00000000-0000-4000-8000-000000000005");
  assert.equal(noDate.direction, "outbound");
  assert.equal(noDate.body, "");
  assert.equal(noDate.created_at.toISOString(), "2024-04-01T08:30:00.000Z");
  const [python0] = await hatch.sql`select * from messages where body = 'python 0'`;
  assert.equal(python0.created_at.toISOString(), "2024-03-01T12:00:00.000Z");
  assert.equal(python0.status, "failed", "outbound, no status and no SID");
  const [failed] = await hatch.sql`
    select status, error_code, provider, provider_message_id from messages
    where error_code is not null limit 1`;
  assert.equal(failed.error_code, "30003");
  assert.equal(failed.provider, "twilio");
  assert.match(failed.provider_message_id, /^SM[0-9a-f]{32}$/);
  const [dirs] = await hatch.sql`
    select count(*) filter (where direction = 'inbound')::int as inbound,
      count(*) filter (where direction = 'outbound')::int as outbound,
      count(*) filter (where status = 'received' and direction = 'outbound')::int as odd
    from messages`;
  assert.ok(dirs.inbound > 1000 && dirs.outbound > 1000);
  assert.equal(dirs.odd, 0);

  // Again, through the command: nothing added, the summary says so.
  const [before] = await hatch.sql`
    select (select count(*) from events)::int as events,
      (select count(*) from conversations)::int as conversations`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", "import", "lean-hatch", proto.url],
    cwd: ROOT,
    env: { DATABASE_URL: hatch.url, HATCH_LOG_LEVEL: "warning" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.match(stdout, /messages\s+4,010 read: 0 imported, 4,007 already there, 3 skipped/);
  assert.match(stdout, /emails\s+1,000 read: 0 imported, 1,000 already there, 0 skipped/);
  assert.match(stdout, /unknown direction "sideways"/);
  assert.match(stderr, /5,010\/5,010 rows/);
  const [after] = await hatch.sql`
    select (select count(*) from events)::int as events,
      (select count(*) from conversations)::int as conversations`;
  assert.deepEqual(after, before);
  assert.equal(total(summary), 5007);
});
