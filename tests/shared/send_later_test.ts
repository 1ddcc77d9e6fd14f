import assert from "node:assert/strict";
import { isoToZoned, sendLaterPresets, zonedToIso } from "@/lib/shared/send_later.ts";
import { test } from "@/tests/helpers.ts";

test("a picked wall-clock time becomes the instant in the reader's zone, DST included", () => {
  assert.equal(zonedToIso("2026-07-01T09:30", "America/Los_Angeles"), "2026-07-01T16:30:00.000Z");
  assert.equal(zonedToIso("2026-01-15T09:30", "America/Los_Angeles"), "2026-01-15T17:30:00.000Z");
  assert.equal(zonedToIso("2026-03-30T08:00", "Europe/Paris"), "2026-03-30T06:00:00.000Z");
  assert.equal(zonedToIso("nonsense", "UTC"), null);
  assert.equal(isoToZoned("2026-07-01T16:30:00.000Z", "America/Los_Angeles"), "2026-07-01T09:30");
});

test("presets: in an hour, tomorrow at 9 and next Monday at 9, local time", () => {
  // A Wednesday, 22:00 in New York.
  const now = new Date("2026-11-26T03:00:00Z");
  const [hour, tomorrow, monday] = sendLaterPresets(now, "America/New_York");
  assert.equal(hour.iso, "2026-11-26T04:00:00.000Z");
  assert.equal(tomorrow.iso, "2026-11-26T14:00:00.000Z");
  assert.equal(monday.iso, "2026-11-30T14:00:00.000Z");
});
