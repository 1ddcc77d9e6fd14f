// The daily prune: old events, idempotency answers, sessions, webhook receipts and login throttles
// go; fresh ones stay.
import assert from "node:assert/strict";
import type { JobHelpers } from "graphile-worker";
import { deliveryTasks, providersFor } from "@/lib/delivery/tasks.ts";
import { createSession } from "@/lib/auth/sessions.ts";
import { startTestApp, test } from "@/tests/helpers.ts";

const t = await startTestApp();

test("prune deletes what is past its keeping time and nothing newer", async () => {
  const { sql, settings } = t.ctx;
  const tag = crypto.randomUUID();
  await sql`insert into idempotency_keys (scope, key, request_hash, state, created_at)
    values (${tag}, 'old', 'h', 'done', now() - interval '3 days'),
           (${tag}, 'new', 'h', 'done', now())`;
  await sql`insert into webhook_receipts (provider, event_id, received_at)
    values (${tag}, 'old', now() - interval '8 days'), (${tag}, 'new', now())`;
  await sql`insert into login_throttle (key, failures, last_failure_at, locked_until)
    values (${`ip:old-${tag}`}, 3, now() - interval '2 days', null),
           (${`ip:locked-${tag}`}, 10, now() - interval '2 days', now() + interval '1 hour'),
           (${`ip:new-${tag}`}, 3, now(), null)`;
  await createSession(sql, { userId: t.userId, policy: { idleMinutes: 1, maxDays: 1 } });
  await sql`update sessions set expires_at = now() - interval '1 minute' where user_id = ${t.userId}`;
  const tasks = deliveryTasks({ sql, settings, ...providersFor(settings) });
  await tasks.prune!({}, {} as JobHelpers);
  const keys = await sql`select key from idempotency_keys where scope = ${tag}`;
  assert.deepEqual(keys.map((r) => r.key), ["new"]);
  const receipts = await sql`select event_id from webhook_receipts where provider = ${tag}`;
  assert.deepEqual(receipts.map((r) => r.event_id), ["new"]);
  const throttles = await sql`select key from login_throttle where key like ${`%-${tag}`}
    order by key`;
  assert.deepEqual(throttles.map((r) => r.key), [`ip:locked-${tag}`, `ip:new-${tag}`]);
  const sessions = await sql`select 1 from sessions where user_id = ${t.userId}`;
  assert.equal(sessions.length, 0);
});
