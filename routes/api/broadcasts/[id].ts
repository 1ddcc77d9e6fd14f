import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { uuidParam } from "@/lib/web/input.ts";
import { Broadcast } from "@/lib/broadcasts/schemas.ts";
import { getBroadcast } from "@/lib/broadcasts/service.ts";

export const handler = define.handlers({
  async GET(c) {
    return c.json({ broadcast: await getBroadcast(c.var.app.sql, uuidParam(c, "broadcast")) });
  },
});

export const docs = define.docs({
  GET: {
    summary: "One broadcast and its progress: queued, sent, delivered, failed, replied, skipped",
    tags: ["broadcasts"],
    responses: {
      200: { description: "The broadcast", schema: z.object({ broadcast: Broadcast }) },
      404: { description: "No such broadcast" },
    },
  },
});
