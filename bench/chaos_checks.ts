// The checks of bench/chaos.ts, run once its sends are answered and retried: that every request
// was answered in time and never with a 500, that each send is stored once and reaches a final
// status, and that the SSE client received every event of the run exactly once. Each broken
// promise becomes a failure in words.
import type { Sql, Value } from "@/lib/db/connect.ts";
import type { Follower } from "./chaos_follow.ts";
import { ANSWER_WITHIN_MS, type Send } from "./chaos_sends.ts";

const FINAL = ["sent", "delivered", "failed", "undelivered"];

/** Runs `what` until it succeeds, every 250 ms; throws its error once `deadlineMs` passed. */
export async function withRetries<T>(what: () => PromiseLike<T>, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await what();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Whether `check` held (a throw counts as no) within `ms`, asking every 250 ms. */
export async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Checks the sends' answers against what the database stored; waits for final statuses. */
export async function checkSends(
  db: Sql,
  { stamp, sends }: { stamp: string; sends: Send[] },
): Promise<{ failures: string[]; stored: number; final: boolean }> {
  const failures: string[] = [];
  const slow = sends.filter((s) => s.status === 0 || s.ms > ANSWER_WITHIN_MS);
  if (slow.length) failures.push(`${slow.length} sends not answered within 10 s`);
  const bugs = sends.filter((s) => s.status === 500);
  if (bugs.length) failures.push(`${bugs.length} sends answered 500: ${bugs[0].error}`);
  const rows = await withRetries(() =>
    db<{ id: string; body: string; status: string }[]>`
      select id, body, status from messages where body like ${`chaos ${stamp} #%`}`
  );
  const byBody = new Map<string, string[]>();
  for (const r of rows) byBody.set(r.body, [...byBody.get(r.body) ?? [], r.id]);
  let lost = 0, twice = 0, wrongReplay = 0, unsettled = 0;
  for (const s of sends) {
    const stored = byBody.get(s.body.content) ?? [];
    if (stored.length > 1) twice++;
    const answered = s.status >= 200 && s.status < 300 ? s.messageId : s.retry?.messageId;
    if (answered && !stored.includes(answered)) lost++;
    if (!answered && stored.length) wrongReplay++;
    if (s.retry && s.retry.status !== 202) unsettled++;
  }
  if (lost) failures.push(`${lost} sends answered 2xx are not in the database`);
  if (twice) failures.push(`${twice} sends stored twice`);
  if (wrongReplay) failures.push(`${wrongReplay} stored sends whose retry did not return them`);
  if (unsettled) failures.push(`${unsettled} retried sends never answered 202`);
  const final = await waitFor(async () => {
    const [{ open }] = await db`
      select count(*)::int as open from messages
      where body like ${`chaos ${stamp} #%`} and not (status = any(${FINAL}))`;
    return open === 0;
  }, 90_000);
  if (!final) failures.push("some stored sends never reached a final status");
  return { failures, stored: rows.length, final };
}

/** Checks the stopped follower got every event after `startId` up to `top` exactly once. */
export async function checkStream(
  db: Sql,
  { follower, startId, top, caughtUp }: {
    follower: Follower;
    startId: number;
    top: Value;
    /** Whether the follower reached `top` before it was stopped. */
    caughtUp: boolean;
  },
): Promise<{ failures: string[]; events: number }> {
  const failures: string[] = [];
  // In the log's (xid, id) order, as the stream delivers it: after the start, up to `top`.
  const [start] = await db`select xid::text as xid from events where id = ${startId}`;
  const ids = (await db`
    select id from events
    where (xid, id) > (${start?.xid ?? "0"}::xid8, ${start ? startId : 0}::bigint)
      and (xid, id) <= (select xid, id from events where id = ${top})`).map((r) => Number(r.id));
  const missing = ids.filter((id) => !follower.seen.has(id)).length;
  const duplicated = [...follower.seen].filter(([, n]) => n > 1).map(([id]) => id);
  const dupes = duplicated.length;
  if (!caughtUp || missing) {
    failures.push(`the SSE client missed ${missing} of ${ids.length} events`);
  }
  if (dupes) {
    failures.push(
      `the SSE client got ${dupes} events more than once (ids ${
        duplicated.slice(0, 5).join(", ")
      }; resumed after ${startId})`,
    );
  }
  const { slowConnects } = follower.stats();
  if (slowConnects) failures.push(`${slowConnects} SSE connects not answered within 10 s`);
  return { failures, events: ids.length };
}
