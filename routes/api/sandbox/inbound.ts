import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { NotFoundError } from "@/lib/errors.ts";
import { SandboxInboundInput } from "@/lib/messages/schemas.ts";
import { simulateInbound } from "@/lib/messages/sandbox.ts";

export const handler = define.handlers({
  async POST(c) {
    const { sql, settings } = c.var.app;
    if (settings.smsProvider !== "sandbox") {
      throw new NotFoundError("The simulator exists only while the sandbox SMS provider is active");
    }
    const input = await readJson(c, SandboxInboundInput);
    const messageId = await simulateInbound(sql, input);
    return c.json({ success: true, message_id: messageId }, 201);
  },
});

export const docs = define.docs({
  POST: {
    summary: "Sandbox only: answer as the customer, an inbound SMS into a conversation",
    tags: ["sandbox"],
    body: SandboxInboundInput,
    responses: {
      201: {
        description: "Stored",
        schema: z.object({ success: z.literal(true), message_id: z.guid() }),
      },
      404: { description: "Not in sandbox mode, or no such conversation" },
    },
  },
});
