import type { Sql } from "@/lib/db/connect.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { getConversation } from "@/lib/conversations/service.ts";
import { receiveInboundSms } from "./service.ts";

/** The sandbox simulator: the customer of an SMS conversation answers, as a webhook would. */
export async function simulateInbound(
  sql: Sql,
  input: { conversation_id: string; body: string },
): Promise<string> {
  const conversation = await getConversation(sql, input.conversation_id);
  if (conversation.channel !== "sms") {
    throw new BadRequestError("The simulator answers in SMS conversations only");
  }
  const [ours, theirs] = conversation.participants;
  return await receiveInboundSms(sql, {
    from: theirs,
    to: ours,
    body: input.body,
    provider: "sandbox",
    providerMessageId: `SMsim${crypto.randomUUID().replaceAll("-", "")}`,
  });
}
