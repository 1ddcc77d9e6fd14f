// The contact page's side column: the contact's numbers, addresses and notes, and links to
// their conversations (each number or address opens its own).
import type { ComponentChildren } from "preact";
import type { Contact, ConversationLink } from "@/lib/shared/types.ts";
import { fullTime, listTime } from "@/lib/shared/time.ts";
import { plural } from "@/lib/shared/words.ts";
import { CHANNEL_NAMES, ChannelIcon } from "./Avatar.tsx";
import { IconMail, IconSms } from "./Icons.tsx";

/** The details beside a contact's timeline; `phone` names a number as people read it. */
export function ContactSide(props: {
  contact: Contact;
  conversations: ConversationLink[];
  phone: (e164: string) => string;
  timeZone: string;
  now: number;
}) {
  const { contact: c } = props;
  const convOf = (address: string) => props.conversations.find((x) => x.address === address);
  const Address = (p: { address: string; label: string; icon: ComponentChildren }) => {
    const conv = convOf(p.address);
    return (
      <li>
        <span class="addr-icon">{p.icon}</span>
        <span class="addr-text">{p.label}</span>
        {conv && <a class="addr-open" href={`/?c=${conv.id}`}>Open</a>}
      </li>
    );
  };
  return (
    <aside class="contact-side" aria-label="Contact details">
      <section class="side-card">
        <h2>Phone numbers</h2>
        {c.phones.length
          ? (
            <ul class="addr-list">
              {c.phones.map((p) => (
                <Address key={p} address={p} label={props.phone(p)} icon={<IconSms size={15} />} />
              ))}
            </ul>
          )
          : <p class="side-none">None yet</p>}
        <h2>Email addresses</h2>
        {c.emails.length
          ? (
            <ul class="addr-list">
              {c.emails.map((e) => (
                <Address key={e} address={e} label={e} icon={<IconMail size={15} />} />
              ))}
            </ul>
          )
          : <p class="side-none">None yet</p>}
        <h2>Notes</h2>
        {c.notes.trim()
          ? <p class="side-notes">{c.notes}</p>
          : <p class="side-none">No notes yet</p>}
      </section>
      {props.conversations.length > 0 && (
        <section class="side-card">
          <h2>Conversations</h2>
          <ul class="conv-links">
            {props.conversations.map((v) => (
              <li key={v.id}>
                <a href={`/?c=${v.id}`} class="conv-link">
                  <span class={`conv-link-icon is-${v.channel}`}>
                    <ChannelIcon channel={v.channel} size={14} />
                  </span>
                  <span class="conv-link-main">
                    <span class="conv-link-name">
                      {CHANNEL_NAMES[v.channel]} ·{" "}
                      {v.channel === "sms" ? props.phone(v.address) : v.address}
                    </span>
                    <span class="conv-link-sub">
                      {plural(v.message_count, "message", "messages")} · last{" "}
                      {listTime(v.last_message_time, new Date(props.now), props.timeZone)}
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p class="side-since">Added {fullTime(c.created_at, props.timeZone)}</p>
    </aside>
  );
}
