// Quiet hours: marketing texts to US and Canadian numbers wait for 8:00–21:00 recipient-local,
// the zone inferred from the number's area code; replies are never held.
import assert from "node:assert/strict";
import { startWorker } from "@/lib/delivery/worker.ts";
import { parseQuietWindow, quietUntil, zonesOf } from "@/lib/delivery/quiet_hours.ts";
import { zonedToIso } from "@/lib/shared/send_later.ts";
import {
  jsonRequest,
  onTeardown,
  startTestApp,
  test,
  waitForStatus,
  waitUntil,
} from "@/tests/helpers.ts";

const WINDOW = parseQuietWindow("08:00-21:00")!;

function phoneIn(area: string): string {
  const [a, b] = crypto.getRandomValues(new Uint32Array(2));
  return `+1${area}${200 + (a % 700)}${String(b % 10000).padStart(4, "0")}`;
}

/** Today's date in `zone` shifted by `days`, as YYYY-MM-DD. */
function dateIn(zone: string, days = 0): string {
  const d = new Date(
    `${new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date())}T12:00:00Z`,
  );
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

test("the time zone comes from the area code (New York, Los Angeles, Toronto); others have none", async () => {
  assert.deepEqual(await zonesOf("+12125550123"), ["America/New_York"]);
  assert.deepEqual(await zonesOf("+13105550123"), ["America/Los_Angeles"]);
  assert.deepEqual(await zonesOf("+14165550123"), ["America/Toronto"]);
  assert.deepEqual(await zonesOf("+442079460000"), []);
});

test("at 20:50 in Los Angeles, LA may be texted now and New York waits until 8:00 its time", async () => {
  const now = new Date(zonedToIso("2026-03-10T20:50", "America/Los_Angeles")!);
  const options = { now, window: WINDOW, fallbackZone: "America/New_York" };
  assert.equal(await quietUntil(phoneIn("310"), options), undefined);
  assert.equal(
    (await quietUntil(phoneIn("212"), options))?.toISOString(),
    zonedToIso("2026-03-11T08:00", "America/New_York"),
  );
  // Early morning holds until 8:00 the same day; other countries are not held.
  const early = new Date(zonedToIso("2026-03-10T06:15", "America/New_York")!);
  assert.equal(
    (await quietUntil(phoneIn("212"), { ...options, now: early }))?.toISOString(),
    zonedToIso("2026-03-10T08:00", "America/New_York"),
  );
  assert.equal(await quietUntil("+442079460000", options), undefined);
  assert.throws(() => parseQuietWindow("21:00-08:00"), /HATCH_QUIET_HOURS="21:00-08:00"/);
  assert.equal(parseQuietWindow("off"), undefined);
});

test("a broadcast at 20:50 LA time (injected clock) sends to LA now and holds New York until 8:00", async () => {
  const t = await startTestApp();
  const fakeNow = Date.parse(
    zonedToIso(`${dateIn("America/Los_Angeles")}T20:50`, "America/Los_Angeles")!,
  );
  const offset = fakeNow - Date.now();
  const worker = await startWorker({
    sql: t.ctx.sql,
    databaseUrl: t.databaseUrl,
    settings: t.ctx.settings,
    deps: { now: () => new Date(Date.now() + offset) },
  });
  onTeardown(() => worker.stop());
  const la = phoneIn("310");
  const ny = phoneIn("212");
  const res = await jsonRequest(t.app, "/api/broadcasts", {
    name: "Spring sale",
    body: "Spring sale starts tomorrow",
    recipients: { csv: `phone\n${la}\n${ny}` },
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { broadcast } = await res.json();
  const idOf = async (phone: string) =>
    await waitUntil(t.ctx.sql, async () => {
      const [r] = await t.ctx.sql`
        select message_id from broadcast_recipients
        where broadcast_id = ${broadcast.id} and phone = ${phone} and message_id is not null`;
      return r?.message_id as string | undefined;
    });
  const laRow = await waitForStatus(t.ctx.sql, "messages", await idOf(la), ["sent", "delivered"]);
  assert.equal(laRow.held_until, null);
  const nyId = await idOf(ny);
  const held = await waitUntil(t.ctx.sql, async () => {
    const [r] = await t.ctx.sql`select status, held_until from messages where id = ${nyId}`;
    return r.held_until ? r : undefined;
  });
  assert.equal(held.status, "queued");
  const nyMorning = zonedToIso(`${dateIn("America/Los_Angeles", 1)}T08:00`, "America/New_York")!;
  assert.equal(new Date(held.held_until).toISOString(), nyMorning);
  // Its job waits for that morning, on the real clock (the job that held it may not have ended).
  const [job] = await t.ctx.sql`
    select run_at from graphile_worker._private_jobs where payload ->> 'message_id' = ${nyId}
    order by run_at desc limit 1`;
  const expected = Date.parse(nyMorning) - offset;
  assert.ok(Math.abs(new Date(job.run_at).getTime() - expected) < 5_000);
});

test("a reply (not marketing) is never held, whatever the hour", async () => {
  const t = await startTestApp();
  const offset =
    Date.parse(zonedToIso(`${dateIn("America/New_York")}T23:30`, "America/New_York")!) -
    Date.now();
  const worker = await startWorker({
    sql: t.ctx.sql,
    databaseUrl: t.databaseUrl,
    settings: t.ctx.settings,
    deps: { now: () => new Date(Date.now() + offset) },
  });
  onTeardown(() => worker.stop());
  const res = await jsonRequest(t.app, "/api/send_message", {
    to: phoneIn("212"),
    content: "Sure!",
  });
  const { message_id } = await res.json();
  const row = await waitForStatus(t.ctx.sql, "messages", message_id, ["sent", "delivered"]);
  assert.equal(row.held_until, null);
});
