import { z } from "zod";
import { define } from "@/lib/web/define.ts";
import { readJson } from "@/lib/web/input.ts";
import { NotFoundError } from "@/lib/errors.ts";
import { SandboxInboundInput } from "@/lib/messages/schemas.ts";
import { simulateInboundEmail } from "@/lib/emails/sandbox.ts";

export const handler = define.handlers({
  async POST(c) {
    const { sql, settings } = c.var.app;
    if (settings.emailProvider !== "sandbox") {
      throw new NotFoundError(
        "The email simulator exists only while the sandbox email provider is active",
      );
    }
    const input = await readJson(c, SandboxInboundInput);
    const emailId = await simulateInboundEmail(sql, settings, input);
    return c.json({ success: true, email_id: emailId }, 201);
  },
});

export const docs = define.docs({
  POST: {
    summary: "Sandbox only: answer as the customer, an inbound email into an email conversation",
    tags: ["sandbox"],
    body: SandboxInboundInput,
    responses: {
      201: {
        description: "Stored",
        schema: z.object({ success: z.literal(true), email_id: z.guid() }),
      },
      404: { description: "Not in sandbox mode, or no such conversation" },
    },
  },
});
