// `hatch backup` → `hatch restore` into an empty database: every table, sequence and attachment
// comes back as it was, and Hatch starts on it with every message, contact and user there.
import assert from "node:assert/strict";
import { join } from "node:path";
import { connect, type Sql, withDatabase } from "@/lib/db/connect.ts";
import { ensureDatabase } from "@/lib/db/embedded.ts";
import { createContact } from "@/lib/contacts/service.ts";
import { createUser } from "@/lib/auth/users.ts";
import { sendMessage } from "@/lib/messages/service.ts";
import { sendEmail } from "@/lib/emails/service.ts";
import {
  createTestAdmin,
  onTeardown,
  ownDatabase,
  randomEmail,
  randomPhone,
  tempDir,
  test,
  testAdminUrl,
  testSettings,
} from "@/tests/helpers.ts";
import { spawnHatch } from "@/tests/process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function emptyDatabase(): Promise<{ url: string; sql: Sql }> {
  const name = `hatch_test_restore_${crypto.randomUUID().slice(0, 8)}`;
  await ensureDatabase(testAdminUrl(), name);
  const url = withDatabase(testAdminUrl(), name);
  const sql = connect(url, { max: 2 });
  onTeardown(async () => {
    await sql.end();
    const admin = connect(testAdminUrl(), { max: 1 });
    await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await admin.end();
  });
  return { url, sql };
}

async function hatch(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", ...args],
    cwd: ROOT,
    env: { HATCH_LOG_LEVEL: "warning", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** Every table's rows (as JSON, sorted) and every sequence's value: what must survive. */
async function contents(sql: Sql): Promise<Record<string, string[]>> {
  const tables = await sql`
    select n.nspname || '.' || c.relname as name, c.relkind = 'S' as sequence from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'S') and n.nspname in ('public', 'graphile_worker')
      and c.relname not in ('schema_migrations', 'migrations')
    order by 1`;
  const out: Record<string, string[]> = {};
  for (const { name, sequence } of tables) {
    const [schema, table] = (name as string).split(".");
    const rows = await sql.unsafe(
      sequence
        ? `select last_value || ' ' || is_called as r from "${schema}"."${table}"`
        : `select to_jsonb(t)::text as r from "${schema}"."${table}" t order by 1`,
    );
    out[name] = rows.map((r) => r.r as string);
  }
  return out;
}

test("backup → restore into an empty database: everything back, and Hatch starts on it", async () => {
  const source = await ownDatabase("backup", { max: 4 });
  const settings = testSettings({ DATABASE_URL: source.url });
  const { token } = await createTestAdmin(source.sql);
  await createUser(source.sql, { email: randomEmail(), role: "agent", password: "pw-restore-1" });
  const contact = await createContact(source.sql, settings, {
    name: "Ana Restore",
    phones: [randomPhone()],
    emails: [randomEmail()],
  });
  for (let i = 0; i < 5; i++) {
    await sendMessage(source.sql, settings, { to: randomPhone(), content: `before backup ${i}` });
  }
  await sendEmail(source.sql, settings, {
    to_email: randomEmail(),
    subject: "Backed up",
    body: "with a job still queued",
  });
  const dataA = await tempDir("hatch-backup-a-");
  const attachment = join(dataA, "attachments", crypto.randomUUID(), "invoice.pdf");
  await Deno.mkdir(join(attachment, ".."), { recursive: true });
  const bytes = crypto.getRandomValues(new Uint8Array(60_000));
  await Deno.writeFile(attachment, bytes);

  const file = join(await tempDir("hatch-backup-file-"), "hatch.backup");
  const backup = await hatch(["backup", file], {
    DATABASE_URL: source.url,
    HATCH_DATA_DIR: dataA,
  });
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /Backed up [\d,]+ rows of \d+ tables and 1 files/);

  const target = await emptyDatabase();
  const dataB = await tempDir("hatch-backup-b-");
  const restore = await hatch(["restore", file], {
    DATABASE_URL: target.url,
    HATCH_DATA_DIR: dataB,
  });
  assert.equal(restore.code, 0, restore.stderr);

  assert.deepEqual(await contents(target.sql), await contents(source.sql));
  const relative = attachment.slice(dataA.length);
  assert.deepEqual(await Deno.readFile(join(dataB, relative)), bytes);

  // Hatch on the restored database: the same token, conversations, contact and users.
  const restored = await spawnHatch({ env: { DATABASE_URL: target.url, HATCH_DATA_DIR: dataB } });
  const get = async (path: string) => {
    const res = await fetch(`${restored.url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200, path);
    return await res.json();
  };
  const listed = await get("/api/conversations?limit=50");
  const [{ n: conversationCount }] = await source.sql`
    select count(*)::int as n from conversations`;
  assert.equal(listed.conversations.length, conversationCount);
  assert.equal(conversationCount, 6);
  const [{ n: messages }] = await target.sql`select count(*)::int as n from messages`;
  assert.equal(messages, 5);
  assert.equal((await get(`/api/contacts/${contact.id}`)).contact.name, "Ana Restore");
  const users = JSON.stringify(await get("/api/users"));
  const [{ n: userCount }] = await source.sql`select count(*)::int as n from users`;
  assert.equal(users.match(/"email":/g)?.length, userCount);
  await restored.kill("SIGTERM");

  // A second restore would replace data: refused unless asked.
  const again = await hatch(["restore", file], { DATABASE_URL: target.url, HATCH_DATA_DIR: dataB });
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /already has messages, users or contacts/);
});

test("a backup cut short is refused and changes nothing", async () => {
  const source = await ownDatabase("backup_cut", { max: 2 });
  await createTestAdmin(source.sql);
  const dir = await tempDir("hatch-backup-cut-");
  const file = join(dir, "hatch.backup");
  const made = await hatch(["backup", file], { DATABASE_URL: source.url, HATCH_DATA_DIR: dir });
  assert.equal(made.code, 0, made.stderr);
  // Unpack, drop the last line, pack again: a file that ends early.
  const text = await new Response(
    (await Deno.open(file)).readable.pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const cut = text.trimEnd().split("\n").slice(0, -1).join("\n") + "\n";
  const packed = new Response(
    new Blob([cut]).stream().pipeThrough(new CompressionStream("gzip")),
  );
  await Deno.writeFile(file, new Uint8Array(await packed.arrayBuffer()));
  const target = await emptyDatabase();
  const restore = await hatch(["restore", file], { DATABASE_URL: target.url, HATCH_DATA_DIR: dir });
  assert.notEqual(restore.code, 0);
  assert.match(restore.stderr, /ends early/);
  const [{ n }] = await target.sql`select count(*)::int as n from users`;
  assert.equal(n, 0);
});
