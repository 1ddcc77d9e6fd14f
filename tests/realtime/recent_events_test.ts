// The hub's window of recent events, alone: what it can vouch for, and what it lets go.
import assert from "node:assert/strict";
import { recentEvents } from "@/lib/realtime/recent_events.ts";

const ids = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i }));

Deno.test("recentEvents: an empty window vouches for nothing new after its floor, nothing before it", () => {
  const w = recentEvents(10, 4);
  assert.deepEqual(w.since(10), []);
  assert.deepEqual(w.since(15), []);
  assert.equal(w.since(9), undefined);
});

Deno.test("recentEvents: the events after an id, in id order, wherever the id falls", () => {
  const w = recentEvents(10, 4);
  w.push(ids(11, 13));
  w.push(ids(14, 15));
  assert.deepEqual(w.since(10)?.map((e) => e.id), [11, 12, 13, 14, 15]);
  assert.deepEqual(w.since(13)?.map((e) => e.id), [14, 15]);
  assert.deepEqual(w.since(15), []);
  assert.deepEqual(w.since(99), []);
});

Deno.test("recentEvents: ids with gaps (rolled-back appends) are found by bisection", () => {
  const w = recentEvents(0, 8);
  w.push([{ id: 2 }, { id: 5 }, { id: 9 }, { id: 10 }]);
  assert.deepEqual(w.since(0)?.map((e) => e.id), [2, 5, 9, 10]);
  assert.deepEqual(w.since(4)?.map((e) => e.id), [5, 9, 10]);
  assert.deepEqual(w.since(5)?.map((e) => e.id), [9, 10]);
});

Deno.test("recentEvents: past twice its size it keeps the newest `size`, and no longer vouches for older ids", () => {
  const w = recentEvents(0, 4);
  w.push(ids(1, 8));
  // Exactly twice the size: nothing trimmed yet.
  assert.deepEqual(w.since(0)?.map((e) => e.id), ids(1, 8).map((e) => e.id));
  w.push(ids(9, 9));
  // Trimmed to the newest 4 (6–9): the floor is 5, the last id let go.
  assert.equal(w.since(0), undefined);
  assert.equal(w.since(4), undefined);
  assert.deepEqual(w.since(5)?.map((e) => e.id), [6, 7, 8, 9]);
  assert.deepEqual(w.since(7)?.map((e) => e.id), [8, 9]);
});

Deno.test("recentEvents: a long run keeps at most twice its size, every answer gap-free", () => {
  const w = recentEvents<{ id: number }>(0, 16);
  for (let id = 1; id <= 1000; id++) {
    w.push([{ id }]);
    const all = w.since(Math.max(0, id - 16));
    assert.ok(all, `the newest 16 are always held (at ${id})`);
    assert.deepEqual(all.map((e) => e.id), ids(Math.max(1, id - 15), id).map((e) => e.id));
  }
  const held = [...Array(1001).keys()].filter((after) => w.since(after) !== undefined);
  assert.ok(1000 - held[0] <= 32, "no more than twice the size is held");
});
