// One timer for the ends of every stream's lifetime, not one per stream: a min-heap of deadlines
// with the timer armed for the earliest. At 10,000 idle streams a timer each is a visible part
// of what a connection costs (bench/connections.ts).

type Timer = ReturnType<typeof setTimeout>;

/** Something that ends at a deadline; `heapIndex` is the scheduler's, -1 when not scheduled. */
export interface Expiring {
  endsAt: number;
  heapIndex: number;
  expire(): void;
}

const heap: Expiring[] = [];
let timer: Timer | undefined;
let timerAt = Infinity;

function swap(i: number, j: number): void {
  const a = heap[i];
  heap[i] = heap[j];
  heap[j] = a;
  heap[i].heapIndex = i;
  heap[j].heapIndex = j;
}

function up(i: number): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent].endsAt <= heap[i].endsAt) return;
    swap(i, parent);
    i = parent;
  }
}

function down(i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let least = i;
    if (l < heap.length && heap[l].endsAt < heap[least].endsAt) least = l;
    if (r < heap.length && heap[r].endsAt < heap[least].endsAt) least = r;
    if (least === i) return;
    swap(i, least);
    i = least;
  }
}

function arm(): void {
  const first = heap[0];
  if (first && first.endsAt >= timerAt) return;
  clearTimeout(timer);
  timer = undefined;
  timerAt = Infinity;
  if (!first) return;
  timerAt = first.endsAt;
  timer = setTimeout(fire, Math.max(0, first.endsAt - Date.now()));
}

function fire(): void {
  timer = undefined;
  timerAt = Infinity;
  const now = Date.now();
  while (heap.length && heap[0].endsAt <= now) {
    const item = heap[0];
    cancelEnd(item);
    item.expire();
  }
  arm();
}

/** Calls `item.expire()` at `item.endsAt` (epoch ms), unless cancelled first. */
export function scheduleEnd(item: Expiring): void {
  item.heapIndex = heap.length;
  heap.push(item);
  up(item.heapIndex);
  arm();
}

/** Takes `item` off the schedule; nothing if it is not on it. */
export function cancelEnd(item: Expiring): void {
  const i = item.heapIndex;
  if (i < 0) return;
  const last = heap.length - 1;
  if (i !== last) swap(i, last);
  heap.pop();
  item.heapIndex = -1;
  if (i < heap.length) {
    up(i);
    down(i);
  }
  // No timer left running once nothing is scheduled (a stopped server, a finished test).
  if (!heap.length) arm();
}
