// Events that carry what an open tab needs: each conversation event is sent with the
// conversation's list row, read for a whole batch of events in one query by the same function
// the list uses (so a field added to the list's row reaches open tabs too), and serialised once
// for every client with the rest of the event.
import type { Sql } from "@/lib/db/connect.ts";
import { conversationSummaries } from "@/lib/conversations/service.ts";
import { type EventRow, type StreamEvent, toStreamEvent } from "./event_log.ts";

/** Turns a batch of rows into ready-to-send events, conversation events with their list row. */
export async function toStreamEvents(sql: Sql, rows: readonly EventRow[]): Promise<StreamEvent[]> {
  if (!rows.length) return [];
  const ids = new Set<string>();
  for (const r of rows) {
    if (r.type === "conversation_update" && r.action !== "DELETE" && r.conversationId) {
      ids.add(r.conversationId);
    }
  }
  // The row as it is now, which may already include later changes: each of those has its own
  // event still to come, carrying the same or a newer row, so a tab ends where the log does.
  const rowsById = new Map(
    (await conversationSummaries(sql, [...ids])).map((c) => [c.id, c as Record<string, unknown>]),
  );
  return rows.map((r) =>
    toStreamEvent(r, r.type === "conversation_update" ? rowsById.get(r.conversationId!) : undefined)
  );
}
