// The top of a contact's page: back to the list, who they are and how much of them is saved,
// and the tools that change them (edit, merge, delete).
import type { Contact } from "@/lib/shared/types.ts";
import { plural } from "@/lib/shared/words.ts";
import { Avatar } from "./Avatar.tsx";
import { avatarAddress } from "./ContactRow.tsx";
import { IconBack, IconCompose, IconMerge, IconTrash } from "./Icons.tsx";

/** The contact page's header; each tool opens its dialog. */
export function ContactHead(props: {
  contact: Contact;
  /** How many of their conversations the page links to. */
  conversations: number;
  onEdit: () => void;
  onMerge: () => void;
  onDelete: () => void;
}) {
  const { contact } = props;
  const counts = [
    plural(contact.phones.length, "phone number", "phone numbers"),
    plural(contact.emails.length, "email", "emails"),
    plural(props.conversations, "conversation", "conversations"),
  ];
  return (
    <header class="contact-head">
      <a class="icon-button back-button" href="/contacts" aria-label="Back to contacts">
        <IconBack size={20} />
      </a>
      <Avatar label={contact.name} address={avatarAddress(contact)} size="lg" />
      <div class="contact-title">
        <h1 id="contact-name-title">{contact.name}</h1>
        <p>{counts.join(" · ")}</p>
      </div>
      <div class="contact-tools">
        <button type="button" class="button button-secondary" onClick={props.onEdit}>
          <IconCompose size={15} /> Edit
        </button>
        <button
          type="button"
          class="button button-secondary"
          onClick={props.onMerge}
        >
          <IconMerge size={15} /> Merge
        </button>
        <button
          type="button"
          class="icon-button icon-danger"
          aria-label="Delete contact"
          title="Delete contact"
          onClick={props.onDelete}
        >
          <IconTrash size={17} />
        </button>
      </div>
    </header>
  );
}
