import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { Broadcast, BroadcastInput } from "@/lib/broadcasts/schemas.ts";
import { listBroadcasts, startBroadcast } from "@/lib/broadcasts/service.ts";

export const handler = define.handlers({
  async GET(c) {
    return c.json({ broadcasts: await listBroadcasts(c.var.app.sql) });
  },
  async POST(c) {
    const { sql, settings } = c.var.app;
    const input = await readJson(c, BroadcastInput);
    const actor = actorOf(c.var.principal, clientIp(c));
    return c.json({ broadcast: await startBroadcast(sql, settings, input, actor) }, 201);
  },
});

const Failure = z.object({ success: z.literal(false), error: z.string() });

export const docs = define.docs({
  GET: {
    summary: "The newest broadcasts, each with its progress",
    tags: ["broadcasts"],
    responses: {
      200: { description: "Broadcasts", schema: z.object({ broadcasts: z.array(Broadcast) }) },
    },
  },
  POST: {
    summary:
      "Start a broadcast: one text (with variables) to the contacts with a label or the rows of a CSV, each in its own conversation, paced at the sender's rate; opted-out numbers are skipped and counted",
    tags: ["broadcasts"],
    body: BroadcastInput,
    responses: {
      201: { description: "Started", schema: z.object({ broadcast: Broadcast }) },
      400: { description: "Bad input, in words", schema: Failure },
    },
  },
});
