import assert from "node:assert/strict";
import { type EmbeddedServer, startEmbedded } from "@/lib/db/embedded.ts";
import { connect } from "@/lib/db/connect.ts";
import { freePort } from "@/lib/net.ts";
import { onTeardown, test } from "@/tests/helpers.ts";

const dataDir = `.hatch/test-supervisor-${crypto.randomUUID().slice(0, 8)}`;
const server: EmbeddedServer = await startEmbedded({ dataDir, port: freePort(), quiet: true });
onTeardown(async () => {
  await server.stop();
  await Deno.remove(dataDir, { recursive: true });
});
const pgDir = `${await Deno.realPath(dataDir)}/pg`;

async function postmasterPid(): Promise<number | undefined> {
  const text = await Deno.readTextFile(`${pgDir}/postmaster.pid`).catch(() => "");
  const pid = Number(text.split("\n")[0]);
  return pid > 0 ? pid : undefined;
}

async function answers(): Promise<boolean> {
  const sql = connect(server.url("postgres"), { max: 1 });
  try {
    const [row] = await sql`select 1 as one`;
    return row.one === 1;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The server comes back as a new process (a new pid) that answers queries.
async function killAndExpectRestart(signal: Deno.Signal) {
  const before = await postmasterPid();
  assert.ok(before, "no postmaster.pid");
  assert.ok(await answers());
  Deno.kill(before, signal);
  await until("the server is down", () => !server.alive(), 5000);
  await until("the server is back", async () => {
    const pid = await postmasterPid();
    return pid !== undefined && pid !== before && server.alive() && await answers();
  }, 15_000);
}

test("the embedded server comes back after its postmaster is killed", async () => {
  await killAndExpectRestart("SIGKILL");
});

test("the embedded server comes back after a fast shutdown from outside", async () => {
  await killAndExpectRestart("SIGINT");
});

test("stop() stops the embedded server for good", async () => {
  const pid = await postmasterPid();
  await server.stop();
  assert.equal(server.alive(), false);
  assert.equal(await postmasterPid(), undefined, "the server did not shut down cleanly");
  assert.ok(pid && !(await Deno.stat(`/proc/${pid}`).then(() => true, () => false)));
  // Nothing to await for an absence: watch over a window past several restart delays.
  const deadline = Date.now() + 1500;
  while (Date.now() < deadline) {
    assert.equal(await postmasterPid(), undefined, "the server was restarted after stop()");
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await answers(), false);
});
