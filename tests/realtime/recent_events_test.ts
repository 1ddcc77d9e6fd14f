// The hub's window of recent events, alone: what it can vouch for, and what it lets go.
import assert from "node:assert/strict";
import { recentEvents } from "@/lib/realtime/recent_events.ts";
import type { Position } from "@/lib/realtime/event_log.ts";

// One event per transaction here, so xid and id grow together; p(n) is the position of event n.
const p = (id: number): Position => ({ xid: id, id });
const ids = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => p(from + i));

Deno.test("recentEvents: an empty window vouches for nothing new after its floor, nothing before it", () => {
  const w = recentEvents(p(10), 4);
  assert.deepEqual(w.since(p(10)), []);
  assert.deepEqual(w.since(p(15)), []);
  assert.equal(w.since(p(9)), undefined);
});

Deno.test("recentEvents: the events after an id, in id order, wherever the id falls", () => {
  const w = recentEvents(p(10), 4);
  w.push(ids(11, 13));
  w.push(ids(14, 15));
  assert.deepEqual(w.since(p(10))?.map((e) => e.id), [11, 12, 13, 14, 15]);
  assert.deepEqual(w.since(p(13))?.map((e) => e.id), [14, 15]);
  assert.deepEqual(w.since(p(15)), []);
  assert.deepEqual(w.since(p(99)), []);
});

Deno.test("recentEvents: ids with gaps (rolled-back appends) are found by bisection", () => {
  const w = recentEvents(p(0), 8);
  w.push([p(2), p(5), p(9), p(10)]);
  assert.deepEqual(w.since(p(0))?.map((e) => e.id), [2, 5, 9, 10]);
  assert.deepEqual(w.since(p(4))?.map((e) => e.id), [5, 9, 10]);
  assert.deepEqual(w.since(p(5))?.map((e) => e.id), [9, 10]);
});

Deno.test("recentEvents: past twice its size it keeps the newest `size`, and no longer vouches for older ids", () => {
  const w = recentEvents(p(0), 4);
  w.push(ids(1, 8));
  // Exactly twice the size: nothing trimmed yet.
  assert.deepEqual(w.since(p(0))?.map((e) => e.id), ids(1, 8).map((e) => e.id));
  w.push(ids(9, 9));
  // Trimmed to the newest 4 (6–9): the floor is 5, the last id let go.
  assert.equal(w.since(p(0)), undefined);
  assert.equal(w.since(p(4)), undefined);
  assert.deepEqual(w.since(p(5))?.map((e) => e.id), [6, 7, 8, 9]);
  assert.deepEqual(w.since(p(7))?.map((e) => e.id), [8, 9]);
});

Deno.test("recentEvents: a long run keeps at most twice its size, every answer gap-free", () => {
  const w = recentEvents<Position>(p(0), 16);
  for (let id = 1; id <= 1000; id++) {
    w.push([p(id)]);
    const all = w.since(p(Math.max(0, id - 16)));
    assert.ok(all, `the newest 16 are always held (at ${id})`);
    assert.deepEqual(all.map((e) => e.id), ids(Math.max(1, id - 15), id).map((e) => e.id));
  }
  const held = [...Array(1001).keys()].filter((after) => w.since(p(after)) !== undefined);
  assert.ok(1000 - held[0] <= 32, "no more than twice the size is held");
});

Deno.test("recentEvents: positions order by xid, then id, and find() maps an id back to its place", () => {
  // Transaction 7 appended ids 20 and 21 after transaction 8 had appended id 19.
  const w = recentEvents<Position>({ xid: 5, id: 30 }, 8);
  const events = [{ xid: 7, id: 20 }, { xid: 7, id: 21 }, { xid: 8, id: 19 }, { xid: 9, id: 22 }];
  w.push(events);
  assert.deepEqual(w.since({ xid: 7, id: 21 }), events.slice(2));
  assert.deepEqual(w.find(19), { xid: 8, id: 19 });
  assert.deepEqual(w.since(w.find(19)!), events.slice(3));
  assert.deepEqual(w.find(30), { xid: 5, id: 30 }, "the floor is vouched for too");
  assert.equal(w.find(18), undefined);
  assert.equal(w.since({ xid: 4, id: 99 }), undefined, "before the floor");
});
