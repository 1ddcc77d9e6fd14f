// Hatch's answers to keywords the carriers leave to us: a plain-language opt-out is confirmed
// with one text, and HELP gets the business's contact details.
import type { Sql } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { UnprocessableError } from "@/lib/errors.ts";
import { sendMessage } from "./service.ts";

/** The confirmation of an opt-out in plain words. */
export function optOutConfirmation(settings: Settings): string {
  return `You won't get more texts from ${
    settings.HATCH_BUSINESS_NAME || "us"
  }. Reply START to opt back in.`;
}

/** The answer to HELP, or undefined when no contact details are configured. */
export function helpAnswer(settings: Settings): string | undefined {
  if (!settings.HATCH_BUSINESS_CONTACT) return undefined;
  const who = settings.HATCH_BUSINESS_NAME || "Us";
  return `${who}: for help, ${settings.HATCH_BUSINESS_CONTACT}. Reply STOP to opt out.`;
}

/** Answers the inbound message's keyword in its conversation (once: the job runs once). */
export async function answerKeyword(
  sql: Sql,
  settings: Settings,
  messageId: string,
): Promise<void> {
  const [m] = await sql`
    select conversation_id, from_contact, keyword from messages
    where id = ${messageId} and direction = 'inbound'`;
  if (!m) return;
  const stop = m.keyword === "stop";
  const text = stop ? optOutConfirmation(settings) : helpAnswer(settings);
  if (!text) return;
  try {
    await sql.begin((tx) =>
      sendMessage(tx, settings, {
        to: m.from_contact,
        content: text,
        conversation_id: m.conversation_id,
      }, { optOutConfirmation: stop })
    );
  } catch (e) {
    // HELP from someone who opted out before: they get nothing more, not even this.
    if (!(e instanceof UnprocessableError)) throw e;
  }
}
