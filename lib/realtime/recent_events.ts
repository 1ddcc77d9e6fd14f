// The newest events the hub handed out, kept in memory so a client back from a short drop (or
// from its stream's lifetime cap) resumes without reading the table. The window only vouches
// for positions from its floor on: anything older may have been trimmed, and the caller reads
// the table.
import { comparePositions, type Position } from "./event_log.ts";

/** How many recent events stay in memory by default (about 300 bytes each). */
export const RECENT_EVENTS = 2048;

/** A window of the newest events, in log order. */
export interface RecentEvents<T extends Position> {
  /** Appends events after every one held (in log order). */
  push(events: readonly T[]): void;
  /** Every held event after `after`, or `undefined` when the window may have lost some. */
  since(after: Position): T[] | undefined;
  /** The position of event `id` when the window vouches for it (held, or its floor). */
  find(id: number): Position | undefined;
}

/** A window starting after `floor` (the hub's position when it started), keeping `size`. */
export function recentEvents<T extends Position>(
  floor: Position,
  size = RECENT_EVENTS,
): RecentEvents<T> {
  // `recent` holds every event after `recentFloor`, in log order.
  let recent: T[] = [];
  let recentFloor: Position = { xid: floor.xid, id: floor.id };
  return {
    push(events) {
      recent.push(...events);
      if (recent.length > 2 * size) {
        // Trimmed in halves, so keeping the window costs O(1) per event on average.
        const last = recent[recent.length - size - 1];
        recentFloor = { xid: last.xid, id: last.id };
        recent = recent.slice(-size);
      }
    },
    since(after) {
      if (comparePositions(after, recentFloor) < 0) return undefined;
      let lo = 0;
      let hi = recent.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (comparePositions(recent[mid], after) <= 0) lo = mid + 1;
        else hi = mid;
      }
      return recent.slice(lo);
    },
    find(id) {
      // A resuming client is usually near the end: search from there.
      for (let i = recent.length - 1; i >= 0; i--) {
        if (recent[i].id === id) return { xid: recent[i].xid, id };
      }
      return recentFloor.id === id ? { ...recentFloor } : undefined;
    },
  };
}
