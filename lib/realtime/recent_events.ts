// The newest events the hub handed out, kept in memory so a client back from a short drop (or
// from its stream's lifetime cap) resumes without reading the table. The window only vouches
// for ids above its floor: anything older may have been trimmed, and the caller reads the table.

/** How many recent events stay in memory by default (about 300 bytes each). */
export const RECENT_EVENTS = 2048;

/** A window of the newest events, in id order. */
export interface RecentEvents<T extends { id: number }> {
  /** Appends events newer than every one held (in id order). */
  push(events: readonly T[]): void;
  /** Every held event after `afterId`, or `undefined` when the window may have lost some. */
  since(afterId: number): T[] | undefined;
}

/** A window starting after event `floor` (the newest id when the hub started), keeping `size`. */
export function recentEvents<T extends { id: number }>(
  floor: number,
  size = RECENT_EVENTS,
): RecentEvents<T> {
  // `recent` holds every event with an id above `recentFloor`, in id order.
  let recent: T[] = [];
  let recentFloor = floor;
  return {
    push(events) {
      recent.push(...events);
      if (recent.length > 2 * size) {
        // Trimmed in halves, so keeping the window costs O(1) per event on average.
        recentFloor = recent[recent.length - size - 1].id;
        recent = recent.slice(-size);
      }
    },
    since(afterId) {
      if (afterId < recentFloor) return undefined;
      let lo = 0;
      let hi = recent.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (recent[mid].id <= afterId) lo = mid + 1;
        else hi = mid;
      }
      return recent.slice(lo);
    },
  };
}
