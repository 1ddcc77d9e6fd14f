import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson, uuidParam } from "@/lib/web/input.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { clientIp } from "@/lib/web/session_cookie.ts";
import { Broadcast, BroadcastControl } from "@/lib/broadcasts/schemas.ts";
import { controlBroadcast } from "@/lib/broadcasts/service.ts";

export const handler = define.handlers({
  async POST(c) {
    const id = uuidParam(c, "broadcast");
    const { action } = await readJson(c, BroadcastControl);
    const actor = actorOf(c.var.principal, clientIp(c));
    return c.json({ broadcast: await controlBroadcast(c.var.app.sql, id, action, actor) });
  },
});

export const docs = define.docs({
  POST: {
    summary:
      "Pause, resume or cancel a broadcast mid-way (texts already queued wait while paused, and are not sent once cancelled)",
    tags: ["broadcasts"],
    body: BroadcastControl,
    responses: {
      200: { description: "The broadcast", schema: z.object({ broadcast: Broadcast }) },
      409: { description: "Not in a state that allows it (a finished broadcast, say)" },
    },
  },
});
