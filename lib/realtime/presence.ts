// Presence ("Ben is viewing", "Ben is typing a reply…"): ephemeral. It travels between
// processes on a NOTIFY channel of its own and reaches the streams open at that moment, but it
// never enters the event log and is never replayed. Browsers repeat it every few seconds while
// it holds and forget what was not repeated, so a closed tab's presence fades by itself.
import type { Tx } from "@/lib/db/connect.ts";
import { NotFoundError } from "@/lib/errors.ts";

/** The channel presence is announced on; the event log's own stays `hatch_events`. */
export const PRESENCE_CHANNEL = "hatch_presence";

/** How often a browser repeats its presence; others forget it after about twice that. */
export const PRESENCE_REPEAT_MS = 2_000;

/** One teammate's presence in one conversation. */
export interface Presence {
  conversation_id: string;
  user_id: string;
  name: string;
  state: "viewing" | "typing" | "left";
}

/** Announces a user's presence (under their name) to every process's open streams. */
export async function announcePresence(
  sql: Tx,
  presence: Omit<Presence, "name">,
): Promise<void> {
  const [row] = await sql`
    select u.name, u.email from conversations c, users u
    where c.id = ${presence.conversation_id} and u.id = ${presence.user_id}`;
  if (!row) throw new NotFoundError(`Conversation "${presence.conversation_id}" not found`);
  // Their name, else their email's local part.
  const name = (row.name as string).trim() || (row.email as string).split("@")[0];
  const payload = JSON.stringify({
    ...presence,
    name,
    type: "presence",
    timestamp: Date.now() / 1000,
  });
  // NOTIFY, not the event log: sent at once (or at commit), to whoever listens now.
  await sql`select pg_notify(${PRESENCE_CHANNEL}, ${payload})`;
}
