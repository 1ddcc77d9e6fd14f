import type { Tx } from "@/lib/db/connect.ts";
import { UnprocessableError } from "@/lib/errors.ts";
import { optOutWords } from "@/lib/shared/delivery_words.ts";

// The keywords carriers and Twilio honour (Twilio's Advanced Opt-Out defaults).
const STOP = new Set([
  "STOP",
  "STOPALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
  "REVOKE",
  "OPTOUT",
]);
const START = new Set(["START", "YES", "UNSTOP"]);
const HELP = new Set(["HELP", "INFO"]);

/** What an inbound SMS asks for, when its whole text is one keyword. */
export type Keyword = "stop" | "start" | "help";

/** The keyword a body is, ignoring case, spaces and trailing punctuation; else undefined. */
export function keywordOf(body: string): Keyword | undefined {
  const word = body.trim().replace(/[.!]+$/, "").toUpperCase();
  if (STOP.has(word)) return "stop";
  if (START.has(word)) return "start";
  if (HELP.has(word)) return "help";
  return undefined;
}

/** Records an opt-out (stop) or removes it (start) for texts from `sender` to `recipient`. */
export async function applyKeyword(
  sql: Tx,
  options: { sender: string; recipient: string; keyword: Keyword; word: string },
): Promise<void> {
  if (options.keyword === "stop") {
    await sql`
      insert into sms_opt_outs (sender, recipient, keyword)
      values (${options.sender}, ${options.recipient}, ${options.word})
      on conflict (sender, recipient) do nothing`;
  } else if (options.keyword === "start") {
    await sql`
      delete from sms_opt_outs
      where sender = ${options.sender} and recipient = ${options.recipient}`;
  }
}

/** When `recipient` opted out of texts from `sender`, the opt-out; else undefined. */
export async function optOutOf(
  sql: Tx,
  sender: string,
  recipient: string,
): Promise<{ keyword: string; opted_out_at: Date } | undefined> {
  const [row] = await sql`
    select keyword, opted_out_at from sms_opt_outs
    where sender = ${sender} and recipient = ${recipient}`;
  return row as { keyword: string; opted_out_at: Date } | undefined;
}

/**
 * Refuses a send to a recipient who opted out, in words. A send checks the opt-out in its
 * own statement (./send_batch.ts) and calls this only when that stored nothing.
 */
export async function assertNotOptedOut(sql: Tx, sender: string, recipient: string): Promise<void> {
  const out = await optOutOf(sql, sender, recipient);
  if (out) {
    throw new UnprocessableError(
      `Cannot send SMS to "${recipient}": ${
        /^provider:/i.test(out.keyword)
          ? optOutWords(out.keyword).short
          : `they opted out (${out.keyword})`
      } on ${out.opted_out_at.toISOString().slice(0, 10)}; they can text START to opt back in`,
    );
  }
}
