// The details column's link between a conversation and the saved contact of the person in it:
// open or edit that contact, or save the conversation's number or address as a new one.
import { useEffect, useState } from "preact/hooks";
import type { Contact, Conversation } from "@/lib/shared/types.ts";
import type { Store } from "@/lib/client/store.ts";
import { applyContact, fetchContact } from "@/lib/client/contacts.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { LazyContactEditor } from "./LazyContactEditor.tsx";
import { IconAlert, IconCompose, IconPlus, IconUsers } from "./Icons.tsx";

type Editing = { kind: "new" } | { kind: "edit"; contact: Contact };

/** "Open contact" and "Edit contact" for a linked conversation, else "Add to contacts". */
export function ContactActions(props: { store: Store; conv: Conversation }) {
  const { store, conv } = props;
  const [editing, setEditing] = useState<Editing | null>(null);
  const { busy, error, run } = useAction();
  // The linked contact, for its notes: what the team knows about them, beside the thread.
  const [linked, setLinked] = useState<Contact | null>(null);
  useEffect(() => {
    const id = conv.contact_id;
    setLinked(null);
    if (!id || conv.channel === "chat") return;
    let live = true;
    fetchContact(id).then((c) => live && setLinked(c)).catch(() => {});
    return () => {
      live = false;
    };
  }, [conv.contact_id]);
  if (conv.channel === "chat") return null;

  const edit = () => {
    const id = conv.contact_id;
    if (!id || busy) return;
    void run(async () => setEditing({ kind: "edit", contact: await fetchContact(id) }));
  };
  const saved = (contact: Contact) => {
    applyContact(store, contact);
    setLinked(contact);
    setEditing(null);
  };

  return (
    <section class="contact-link" aria-label="Contact">
      {linked?.id === conv.contact_id && linked.notes.trim() && (
        <div class="contact-notes" data-testid="contact-notes">
          <h3>Notes</h3>
          <p>{linked.notes}</p>
        </div>
      )}
      {conv.contact_id
        ? (
          <div class="contact-link-actions">
            <a class="button button-secondary" href={`/contacts/${conv.contact_id}`}>
              <IconUsers size={15} /> Open contact
            </a>
            <button type="button" class="button button-ghost" disabled={busy} onClick={edit}>
              <IconCompose size={15} /> Edit contact
            </button>
          </div>
        )
        : (
          <div class="contact-link-actions">
            <button
              type="button"
              class="button button-secondary"
              onClick={() => setEditing({ kind: "new" })}
            >
              <IconPlus size={15} /> Add to contacts
            </button>
          </div>
        )}
      {error && (
        <p class="callout contact-link-error" role="alert">
          <IconAlert size={14} /> {error}
        </p>
      )}
      {editing && (
        <LazyContactEditor
          contact={editing.kind === "edit" ? editing.contact : null}
          prefill={conv.channel === "email"
            ? { emails: [conv.contact] }
            : { phones: [conv.contact] }}
          defaultCountry={store.settings.defaultCountry}
          onSaved={saved}
          onClose={() => setEditing(null)}
        />
      )}
    </section>
  );
}
