// The pool never lets a statement run inside a transaction it does not belong to: a connection
// that comes back to the pool inside a transaction is closed, and a transaction whose connection
// died neither continues elsewhere nor commits half of its work.
import assert from "node:assert/strict";
import { connect } from "@/lib/db/connect.ts";
import { DatabaseUnavailableError } from "@/lib/errors.ts";
import { onTeardown, test, testDatabaseUrl } from "@/tests/helpers.ts";

const url = testDatabaseUrl();
const table = `pool_guard_${crypto.randomUUID().slice(0, 8)}`;
const setup = connect(url, { max: 1 });
onTeardown(() => setup.end());
await setup.unsafe(`create table ${table} (note text primary key)`);
onTeardown(() => setup.unsafe(`drop table ${table}`));

// What another process sees: only committed rows.
async function committed(note: string): Promise<boolean> {
  const [row] = await setup`select 1 as ok from ${setup(table)} where note = ${note}`;
  return Boolean(row);
}

test("a connection left inside a transaction (BEGIN by hand) is never used for a later statement", async () => {
  const sql = connect(url, { max: 1 });
  try {
    await sql`begin`;
    const note = crypto.randomUUID();
    await sql`insert into ${sql(table)} (note) values (${note})`;
    // Had the insert run on the connection left in the transaction, nobody else would see it,
    // and it would be lost when that connection closed.
    assert.equal(await committed(note), true);
    const [{ state }] = await setup`
      select count(*)::int as state from pg_stat_activity
      where application_name = 'hatch' and state like 'idle in transaction%'
        and datname = current_database()`;
    assert.equal(state, 0, "no pooled connection idles inside a transaction");
  } finally {
    await sql.end();
  }
});

test("a transaction whose connection dies stops there: nothing after it runs, nothing commits", async () => {
  const sql = connect(url, { max: 2 });
  const first = crypto.randomUUID();
  const second = crypto.randomUUID();
  try {
    const outcome = await sql.begin(async (tx) => {
      await tx`insert into ${tx(table)} (note) values (${first})`;
      const [{ pid }] = await tx`select pg_backend_pid() as pid`;
      await setup`select pg_terminate_backend(${pid})`;
      // The pool has another connection free: this statement must not run there.
      await tx`insert into ${tx(table)} (note) values (${second})`;
    }).then(() => "committed", (e) => e);
    assert.ok(outcome instanceof DatabaseUnavailableError, `refused, not ${outcome}`);
    assert.equal(await committed(first), false);
    assert.equal(await committed(second), false);
    // The pool itself recovers for the next caller.
    const [{ one }] = await sql`select 1 as one`;
    assert.equal(one, 1);
  } finally {
    await sql.end();
  }
});

test("a transaction that swallowed a failed statement is rolled back, and says so", async () => {
  const sql = connect(url, { max: 1 });
  const note = crypto.randomUUID();
  try {
    await assert.rejects(
      sql.begin(async (tx) => {
        await tx`insert into ${tx(table)} (note) values (${note})`;
        await tx`select 1 / 0`.catch(() => {});
      }),
      /rolled back/,
    );
    assert.equal(await committed(note), false);
  } finally {
    await sql.end();
  }
});

test("an unreachable database answers within the acquire timeout, as unavailable", async () => {
  const closed = new URL(url);
  closed.port = "1"; // nothing listens on port 1
  const sql = connect(closed.toString(), { max: 1, acquireTimeoutMs: 1_000 });
  const started = Date.now();
  try {
    await assert.rejects(async () => await sql`select 1`, DatabaseUnavailableError);
    assert.ok(Date.now() - started < 3_000, "answered quickly");
  } finally {
    await sql.end();
  }
});
