import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import {
  type EventStreamOptions,
  openEventStream,
  resumePoint,
  SSE_HEADERS,
  writeEventStream,
} from "@/lib/realtime/sse.ts";
import type { ServerEnv } from "@/lib/web/serve.ts";

// Documents the query only; resumePoint() validates it together with the Last-Event-ID header.
const EventsQuery = z.object({
  after: z.string().regex(/^\d+$/).optional().describe(
    "Replay every event after this id first (the Last-Event-ID header wins when both are sent)",
  ),
});

export const handler = define.handlers({
  GET(c) {
    const { hub, sql, settings } = c.var.app;
    const options: EventStreamOptions = {
      hub,
      sql,
      after: resumePoint(c.req.header("last-event-id"), c.req.query("after")),
      keepaliveSeconds: settings.HATCH_KEEPALIVE_SECONDS,
      maxSeconds: settings.HATCH_SSE_MAX_SECONDS,
      principal: c.var.principal,
      authVersion: c.var.authVersion,
    };
    const env = c.env as ServerEnv | undefined;
    // On the node server the stream is written straight to the node response (lib/web/serve.ts):
    // no web stream, reader and pump per connection (bench/connections.ts).
    if (env?.bodyWriter === null) {
      env.bodyWriter = (res) => writeEventStream(options, res);
      return new Response(null, { headers: SSE_HEADERS });
    }
    return openEventStream({ ...options, signal: c.req.raw.signal });
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
