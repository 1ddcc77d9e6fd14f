// A snooze ends by itself: a graphile-worker job at its time, kept in the database, so it
// comes back across a restart of the app.
import assert from "node:assert/strict";
import { ownDatabase, startTestApp, test, waitUntil } from "@/tests/helpers.ts";
import { customerWrites, getJson, patch, teammate } from "./helpers.ts";
import type { Conversation } from "@/lib/conversations/schemas.ts";
import type { Note } from "@/lib/conversations/team_schemas.ts";

const db = await ownDatabase("snooze");

test("a snoozed conversation comes back by itself, also after the app restarted", async () => {
  const first = await startTestApp({ DATABASE_URL: db.url, HATCH_WORKER: "false" });
  const ana = await teammate(first, "Ana");
  const id = await customerWrites(first);
  const until = new Date(Date.now() + 1_500).toISOString();
  const res = await patch(ana.app, id, { state: "snoozed", snoozed_until: until });
  assert.equal(res.status, 200);
  const { conversation } = await res.json() as { conversation: Conversation };
  assert.equal(conversation.state, "snoozed");
  assert.equal(conversation.snoozed_until, until);
  const list = await getJson<{ conversations: Conversation[] }>(
    ana.app,
    "/api/conversations?view=snoozed",
  );
  assert.deepEqual(list.conversations.map((c) => c.id), [id]);
  const [job] = await db.sql`
    select run_at from graphile_worker.jobs where key = ${`wake:${id}`}`;
  assert.equal(new Date(job.run_at).toISOString(), until);
  await first.stop();

  // A new app with its worker: nothing in memory survived, the job did.
  const second = await startTestApp({ DATABASE_URL: db.url, HATCH_WORKER: "true" });
  await waitUntil(db.sql, async () => {
    const [row] = await db.sql`select state from conversations where id = ${id}`;
    return row.state === "open";
  });
  const { notes } = await getJson<{ notes: Note[] }>(second.app, `/api/conversation/${id}/notes`);
  const lines = notes.filter((n) => n.kind === "system").map((
    n,
  ) => [n.detail.action, n.detail.cause]);
  assert.deepEqual(lines, [["snoozed", "user"], ["reopened", "snooze"]]);
  const [audit] = await db.sql`
    select action from audit_log where target = ${id} and action = 'conversation.woke'`;
  assert.ok(audit);
});
