// What a row listing a message or an email shows of it, named the same for both kinds: the
// search results and a contact's timeline are both lists of such rows.
import type { Hit, Item } from "./types.ts";

/** A message's or an email's row fields; `text` shapes the body (an excerpt, a cut). */
export function itemRow(item: Item, text: (body: string) => string): Hit {
  const inbound = item.direction === "inbound";
  const email = item.kind === "email";
  return {
    kind: item.kind,
    id: item.id,
    conversation_id: item.conversation_id,
    channel: email ? "email" : item.channel,
    direction: item.direction,
    address: email
      ? (inbound ? item.from_email : item.to_email)
      : (inbound ? item.from_contact : item.to_contact),
    subject: email ? item.subject : null,
    text: text(item.body),
    sender: item.sent_by ? { user_id: item.sent_by.user_id, name: item.sent_by.name } : null,
    timestamp: item.timestamp,
  };
}
