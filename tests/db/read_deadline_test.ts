// A statement the server does not answer in time fails as "database unavailable" a little after
// the statement timeout, and its connection is not used again; answered ones are untouched.
import assert from "node:assert/strict";
import { connect } from "@/lib/db/connect.ts";
import { DatabaseUnavailableError } from "@/lib/errors.ts";
import { test, testDatabaseUrl } from "@/tests/helpers.ts";

const url = testDatabaseUrl();

test("a statement the server does not answer fails after the read deadline; the pool carries on", async () => {
  // 300 ms statement timeout: the client gives up 2 s after it, checked once every 300 ms.
  const sql = connect(url, { max: 1, statementTimeoutMs: 300 });
  try {
    const [{ pid }] = await sql`select pg_backend_pid() as pid`;
    // The server would cancel it at 300 ms; switched off, only the client's deadline is left.
    await sql`set statement_timeout = 0`;
    const began = performance.now();
    const outcome = await sql`select pg_sleep(4)`.then(() => "answered", (e) => e);
    const waited = performance.now() - began;
    assert.ok(outcome instanceof DatabaseUnavailableError, `gave up, not ${outcome}`);
    assert.match(outcome.message, /Query read timeout/);
    assert.ok(waited >= 2_200 && waited < 3_500, `gave up after ${Math.round(waited)} ms`);
    // The abandoned connection was closed; the next statement runs on a new one.
    const [{ pid: next, slow }] = await sql`
      select pg_backend_pid() as pid, (select 1 from pg_sleep(0.1)) as slow`;
    assert.notEqual(next, pid);
    assert.equal(slow, 1, "a statement within the deadline is answered");
  } finally {
    await sql.end();
  }
});
