import assert from "node:assert/strict";
import { jsonRequest, randomPhone, startTestApp, test } from "@/tests/helpers.ts";
import { customerWrites, getJson, patch, reply, teammate } from "./helpers.ts";
import type { Conversation } from "@/lib/conversations/schemas.ts";
import type { Note, ViewCounts } from "@/lib/conversations/team_schemas.ts";

const t = await startTestApp();
// Names of their own: other files' teammates share this database.
const tag = crypto.randomUUID().slice(0, 6);
const ana = await teammate(t, `Ana${tag}`);
const ben = await teammate(t, `Ben${tag}`);

type One = { conversation: Conversation };
type List = { conversations: Conversation[]; next_cursor: string | null };

async function notes(id: string): Promise<Note[]> {
  return (await getJson<{ notes: Note[] }>(t.app, `/api/conversation/${id}/notes`)).notes;
}

async function inView(app: typeof t.app, view: string, id: string): Promise<boolean> {
  const list = await getJson<List>(app, `/api/conversations?view=${view}&limit=200`);
  return list.conversations.some((c) => c.id === id);
}

async function audits(target: string): Promise<string[]> {
  const rows = await t.ctx.sql`
    select action from audit_log where target = ${target} order by id`;
  return rows.map((r) => r.action as string);
}

test("assigning puts a conversation in the assignee's Mine, with a system line and an audit entry", async () => {
  const id = await customerWrites(t);
  assert.ok(await inView(ana.app, "unassigned", id));
  const before = await getJson<ViewCounts>(ben.app, "/api/views");
  const res = await patch(ana.app, id, { assignee_id: ben.id });
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as One).conversation.assignee_id, ben.id);
  assert.ok(await inView(ben.app, "mine", id));
  assert.ok(!(await inView(ana.app, "mine", id)));
  assert.ok(!(await inView(ana.app, "unassigned", id)));
  const after = await getJson<ViewCounts>(ben.app, "/api/views");
  assert.equal(after.mine, before.mine + 1);
  assert.equal(after.unassigned, before.unassigned - 1);
  const line = (await notes(id)).find((n) => n.kind === "system");
  assert.equal(line?.author_id, ana.id);
  assert.deepEqual(
    { action: line?.detail.action, to: line?.detail.assignee_id, cause: line?.detail.cause },
    { action: "assigned", to: ben.id, cause: "user" },
  );
  assert.deepEqual(await audits(id), ["conversation.assigned"]);
  await patch(ana.app, id, { assignee_id: null });
  assert.ok(await inView(ana.app, "unassigned", id));
});

test("closing moves a conversation to Closed; the customer's reply reopens it", async () => {
  const id = await customerWrites(t);
  await patch(ana.app, id, { assignee_id: ben.id, state: "closed" });
  assert.ok(await inView(ana.app, "closed", id));
  assert.ok(!(await inView(ana.app, "open", id)));
  assert.ok(!(await inView(ben.app, "mine", id)));
  await reply(t, id, "one more thing");
  const { conversation } = await getJson<One>(ben.app, `/api/conversation/${id}`);
  assert.equal(conversation.state, "open");
  assert.ok(await inView(ben.app, "mine", id));
  const lines = (await notes(id)).filter((n) => n.kind === "system").map((n) => n.detail);
  assert.deepEqual(lines.map((d) => [d.action, d.cause]), [
    ["assigned", "user"],
    ["closed", "user"],
    ["reopened", "reply"],
  ]);
  assert.deepEqual(await audits(id), [
    "conversation.closed",
    "conversation.assigned",
    "conversation.reopened",
  ]);
});

test("replying to an unassigned conversation assigns it to whoever replied, unless the team turned that off", async () => {
  const id = await customerWrites(t);
  const [, customer] = (await getJson<One>(ana.app, `/api/conversation/${id}`)).conversation
    .participants;
  await jsonRequest(ana.app, "/api/send_message", { to: customer, content: "On it" });
  const got = (await getJson<One>(ana.app, `/api/conversation/${id}`)).conversation;
  assert.equal(got.assignee_id, ana.id);
  const line = (await notes(id)).find((n) => n.kind === "system");
  assert.deepEqual([line?.detail.action, line?.detail.cause], ["assigned", "auto"]);
  const [audited] = await t.ctx.sql`
    select actor_user_id, detail from audit_log
    where target = ${id} and action = 'conversation.assigned'`;
  assert.deepEqual([audited.actor_user_id, audited.detail.cause], [ana.id, "auto"]);
  // A second reply by someone else leaves the assignee alone.
  await jsonRequest(ben.app, "/api/send_message", { to: customer, content: "Me too" });
  assert.equal(
    (await getJson<One>(ana.app, `/api/conversation/${id}`)).conversation.assignee_id,
    ana.id,
  );

  const off = await t.app.request("/api/team", {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ auto_assign: false }),
  });
  assert.equal(off.status, 200);
  try {
    const other = await customerWrites(t);
    const to = (await getJson<One>(ana.app, `/api/conversation/${other}`)).conversation
      .participants[1];
    await jsonRequest(ana.app, "/api/send_message", { to, content: "Hi" });
    assert.equal(
      (await getJson<One>(ana.app, `/api/conversation/${other}`)).conversation.assignee_id,
      null,
    );
  } finally {
    await jsonRequest(t.app, "/api/team", { auto_assign: true });
    await t.ctx.sql`update team_settings set auto_assign = true`;
  }
});

test("labels: admins create, rename and delete them; anyone applies them; the list filters by label", async () => {
  const refused = await jsonRequest(ana.app, "/api/labels", { name: "VIP" });
  assert.equal(refused.status, 403);
  const name = `VIP ${crypto.randomUUID().slice(0, 6)}`;
  const created = await jsonRequest(t.app, "/api/labels", { name, color: "#FF0000" });
  assert.equal(created.status, 201);
  const { label } = await created.json();
  assert.equal(label.color, "#ff0000");
  const again = await jsonRequest(t.app, "/api/labels", { name: name.toLowerCase() });
  assert.equal(again.status, 409);
  assert.match((await again.json()).error, /already exists/);

  const id = await customerWrites(t);
  assert.equal((await patch(ana.app, id, { add_label_ids: [label.id] })).status, 200);
  const filtered = await getJson<List>(ana.app, `/api/conversations?label=${label.id}`);
  assert.deepEqual(filtered.conversations.map((c) => c.id), [id]);
  const counts = await getJson<ViewCounts>(ana.app, "/api/views");
  assert.equal(counts.labels[label.id], 1);

  const renamed = await t.app.request(`/api/labels/${label.id}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `${name} renamed` }),
  });
  assert.equal((await renamed.json()).label.name, `${name} renamed`);
  const gone = await t.app.request(`/api/labels/${label.id}`, { method: "DELETE" });
  assert.equal(gone.status, 200);
  const { conversation } = await getJson<One>(ana.app, `/api/conversation/${id}`);
  assert.deepEqual(conversation.label_ids, []);
  const unknown = await patch(ana.app, id, { add_label_ids: [label.id] });
  assert.equal(unknown.status, 400);
  assert.match((await unknown.json()).error, /no such label/);
});

test("a note mentions teammates, is never handed to a provider, and reaches streams as an event", async () => {
  const id = await customerWrites(t);
  const jobsBefore = await t.ctx.sql`select count(*)::int as n from graphile_worker._private_jobs`;
  const res = await jsonRequest(ana.app, `/api/conversation/${id}/notes`, {
    body: `@${ben.name.toLowerCase()} can you take this? (not @nobody)`,
  });
  assert.equal(res.status, 201);
  const { note } = await res.json();
  assert.deepEqual(note.mentions, [ben.id]);
  const jobsAfter = await t.ctx.sql`select count(*)::int as n from graphile_worker._private_jobs`;
  assert.equal(jobsAfter[0].n, jobsBefore[0].n);
  // Every column the trigger writes (sql/016 moved its insert into hatch_write_event).
  const events = await t.ctx.sql`
    select type, action, conversation_id, payload, xid <> '0'::xid8 as has_xid
    from events where entity_id = ${note.id}`;
  assert.deepEqual(events.map((e) => ({ ...e })), [{
    type: "note_update",
    action: "INSERT",
    conversation_id: id,
    payload: { kind: "note", mentions: ben.id },
    has_xid: true,
  }]);
  const messages = await t.ctx
    .sql`select count(*)::int as n from messages where conversation_id = ${id}`;
  assert.equal(messages[0].n, 1);
});

test("read state is per user, and an inbound message writes no row per user", async () => {
  const id = await customerWrites(t);
  assert.equal((await jsonRequest(ana.app, `/api/conversation/${id}/read`, {})).status, 200);
  const mine = (await getJson<One>(ana.app, `/api/conversation/${id}`)).conversation;
  const his = (await getJson<One>(ben.app, `/api/conversation/${id}`)).conversation;
  assert.equal(mine.unread_count, 0);
  assert.equal(his.unread_count, 1);
  const [before] = await t.ctx.sql`select count(*)::int as n from conversation_reads`;
  await reply(t, id, "still there?");
  const [after] = await t.ctx.sql`select count(*)::int as n from conversation_reads`;
  assert.equal(after.n, before.n);
  assert.equal(
    (await getJson<One>(ana.app, `/api/conversation/${id}`)).conversation.unread_count,
    1,
  );
  assert.equal(
    (await getJson<One>(ben.app, `/api/conversation/${id}`)).conversation.unread_count,
    2,
  );
});

test("bulk: several conversations closed and labelled at once, or none when one is missing", async () => {
  const ids = [await customerWrites(t), await customerWrites(t)];
  const res = await jsonRequest(ana.app, "/api/conversations/bulk", {
    ids,
    change: { state: "closed", assignee_id: ana.id },
  });
  assert.equal(res.status, 200);
  for (const id of ids) assert.ok(await inView(ana.app, "closed", id));
  const missing = crypto.randomUUID();
  const refused = await jsonRequest(ana.app, "/api/conversations/bulk", {
    ids: [...ids, missing],
    change: { state: "open" },
  });
  assert.equal(refused.status, 404);
  for (const id of ids) assert.ok(await inView(ana.app, "closed", id));
});

test("bad changes are refused in words", async () => {
  const id = await customerWrites(t);
  const past = await patch(ana.app, id, {
    state: "snoozed",
    snoozed_until: "2001-01-01T00:00:00Z",
  });
  assert.equal(past.status, 400);
  assert.match((await past.json()).error, /that time has passed/);
  const noTime = await patch(ana.app, id, { state: "snoozed" });
  assert.match((await noTime.json()).error, /say until when/);
  const nobody = await patch(ana.app, id, { assignee_id: crypto.randomUUID() });
  assert.equal(nobody.status, 400);
  assert.match((await nobody.json()).error, /no such user/);
  const missing = await patch(ana.app, crypto.randomUUID(), { state: "closed" });
  assert.equal(missing.status, 404);
  const view = await ana.app.request("/api/conversations?view=everything");
  assert.equal(view.status, 400);
});

test("the counts stay right when the worker folds their rows", async () => {
  const id = await customerWrites(t);
  await patch(ana.app, id, { state: "closed" });
  const before = await getJson<ViewCounts>(ana.app, "/api/views");
  const { compactViewCounts } = await import("@/lib/conversations/views.ts");
  await compactViewCounts(t.ctx.sql);
  const [{ keys, rows }] = await t.ctx.sql`
    select count(distinct key)::int as keys, count(*)::int as rows from view_count_deltas`;
  assert.equal(rows, keys);
  assert.deepEqual(await getJson<ViewCounts>(ana.app, "/api/views"), before);
  const [real] = await t.ctx.sql`
    select count(*) filter (where state = 'closed')::int as closed,
           count(*) filter (where state = 'open')::int as open from conversations`;
  assert.deepEqual([before.closed, before.open], [real.closed, real.open]);
});

test("a chat conversation started by a teammate is theirs", async () => {
  const res = await jsonRequest(ben.app, "/api/send_message", {
    to: `Chat ${randomPhone()}`,
    content: "hi",
  });
  const { conversation_id } = await res.json();
  assert.equal(
    (await getJson<One>(ben.app, `/api/conversation/${conversation_id}`)).conversation.assignee_id,
    ben.id,
  );
});
