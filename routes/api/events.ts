import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { openEventStream, resumePoint } from "@/lib/realtime/sse.ts";

// Documents the query only; resumePoint() validates it together with the Last-Event-ID header.
const EventsQuery = z.object({
  after: z.string().regex(/^\d+$/).optional().describe(
    "Replay every event after this id first (the Last-Event-ID header wins when both are sent)",
  ),
});

export const handler = define.handlers({
  GET(c) {
    const { hub, sql, settings } = c.var.app;
    return openEventStream({
      hub,
      sql,
      after: resumePoint(c.req.header("last-event-id"), c.req.query("after")),
      keepaliveSeconds: settings.HATCH_KEEPALIVE_SECONDS,
      maxSeconds: settings.HATCH_SSE_MAX_SECONDS,
      signal: c.req.raw.signal,
      principal: c.var.principal,
      authVersion: c.var.authVersion,
    });
  },
});

export const docs = define.docs({
  GET: {
    summary:
      "Stream changes as Server-Sent Events: connected, message_update, email_update, conversation_update, keepalive; resume with Last-Event-ID or ?after=",
    tags: ["events"],
    query: EventsQuery,
    responses: {
      200: { description: "text/event-stream" },
      400: { description: "Last-Event-ID or after is not a non-negative integer" },
    },
  },
});
