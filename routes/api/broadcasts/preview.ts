import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { actorOf } from "@/lib/auth/principal.ts";
import { BroadcastInput, BroadcastPreview } from "@/lib/broadcasts/schemas.ts";
import { previewBroadcast } from "@/lib/broadcasts/service.ts";

export const handler = define.handlers({
  async POST(c) {
    const { sql, settings } = c.var.app;
    const input = await readJson(c, BroadcastInput);
    return c.json(await previewBroadcast(sql, settings, input, actorOf(c.var.principal)));
  },
});

export const docs = define.docs({
  POST: {
    summary:
      "What a broadcast would do, without starting it: recipients, skipped (opted out, invalid, duplicate), segments and the cost estimate",
    tags: ["broadcasts"],
    body: BroadcastInput,
    responses: {
      200: { description: "The preview", schema: BroadcastPreview },
      400: { description: "Bad input, in words" },
    },
  },
});
