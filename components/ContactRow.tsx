// One contact in the contacts list: who, and how to reach them.
import type { Contact } from "@/lib/shared/types.ts";
import { Avatar } from "./Avatar.tsx";

/** How a contact is reached, in a line: the first number and address, and how many more. */
export function reachLine(c: Contact, phone: (e164: string) => string): string {
  const first = [c.phones[0] && phone(c.phones[0]), c.emails[0]].filter(Boolean).join(" · ");
  const more = c.phones.length + c.emails.length - (c.phones[0] ? 1 : 0) - (c.emails[0] ? 1 : 0);
  if (!first) return "No number or email yet";
  return more > 0 ? `${first} · +${more}` : first;
}

/** The avatar colour follows the person's first address, as their conversations' avatars do. */
export function avatarAddress(c: Contact): string {
  return c.phones[0] ?? c.emails[0] ?? c.id;
}

/** A contact as a link to their page. */
export function ContactRow(props: {
  contact: Contact;
  selected: boolean;
  href: string;
  phone: (e164: string) => string;
}) {
  const c = props.contact;
  return (
    <li>
      <a
        href={props.href}
        class={`row contact-row${props.selected ? " is-selected" : ""}`}
        aria-current={props.selected ? "page" : undefined}
        data-contact={c.id}
      >
        <Avatar label={c.name} address={avatarAddress(c)} />
        <span class="row-main">
          <span class="row-top">
            <span class="row-name">{c.name}</span>
          </span>
          <span class="row-bottom">
            <span class="row-preview">{reachLine(c, props.phone)}</span>
          </span>
        </span>
      </a>
    </li>
  );
}
