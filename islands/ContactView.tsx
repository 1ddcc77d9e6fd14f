// The contacts page's right side: one contact (name, numbers, addresses, notes, conversations)
// and every SMS, chat and email with them in one timeline, newest first, following the live
// stream; edit, merge and delete from here. Without a contact it invites to pick or add one.
import { useEffect, useState } from "preact/hooks";
import type { Contact, ContactDetail } from "@/lib/shared/types.ts";
import { setCsrfToken } from "@/lib/client/api.ts";
import { announceContact } from "@/lib/client/contacts.ts";
import { useContactTimeline } from "@/lib/client/contact_live.ts";
import { usePhoneLabels } from "@/lib/client/phone_labels.ts";
import { ContactEditor } from "@/components/ContactEditor.tsx";
import { ContactMerge } from "@/components/ContactMerge.tsx";
import { ContactInvite, ContactNotFound } from "@/components/ContactEmpty.tsx";
import { ContactHead } from "@/components/ContactHead.tsx";
import { ContactActivity } from "@/components/ContactActivity.tsx";
import { ContactSide } from "@/components/ContactSide.tsx";
import { ContactDelete } from "@/components/ContactDelete.tsx";

/** What the page gives the contact view. */
export interface ContactViewProps {
  detail: ContactDetail | null;
  notFound: string | null;
  labels: Record<string, string>;
  defaultCountry: string;
  timeZone: string;
  now: number;
  csrfToken: string | null;
}

type Dialog = "edit" | "merge" | "delete" | "new" | null;

/** The contact view island. */
export default function ContactView(props: ContactViewProps) {
  const live = useContactTimeline(props.detail);
  const [dialog, setDialog] = useState<Dialog>(null);
  const phone = usePhoneLabels(props.labels, props.defaultCountry);
  useEffect(() => setCsrfToken(props.csrfToken), []);
  const { contact } = live;

  if (!contact) {
    return (
      <main class={`stage contact-stage${props.notFound ? " is-front" : ""}`} id="main">
        {props.notFound
          ? <ContactNotFound words={props.notFound} />
          : <ContactInvite onNew={() => setDialog("new")} />}
        {dialog === "new" && (
          <ContactEditor
            defaultCountry={props.defaultCountry}
            onSaved={(c) => location.assign(`/contacts/${c.id}`)}
            onClose={() => setDialog(null)}
          />
        )}
      </main>
    );
  }

  const saved = (c: Contact) => {
    setDialog(null);
    document.title = `${c.name} · Contacts · Hatch`;
    announceContact({ saved: c });
    live.changed(c);
  };

  const merged = (c: Contact, other: Contact) => {
    setDialog(null);
    announceContact({ deleted: other.id, into: c });
    live.changed(c);
  };

  const deleted = (c: Contact) => {
    announceContact({ deleted: c.id });
    location.assign("/contacts");
  };

  return (
    <main class="stage contact-stage is-front" id="main">
      <section class="contact-page" aria-labelledby="contact-name-title">
        <ContactHead
          contact={contact}
          conversations={live.conversations.length}
          onEdit={() => setDialog("edit")}
          onMerge={() => setDialog("merge")}
          onDelete={() => setDialog("delete")}
        />
        <div class="contact-body">
          <ContactActivity
            name={contact.name}
            entries={live.entries}
            cursor={live.cursor}
            older={live.older}
            connection={live.connection}
            phone={phone}
            timeZone={props.timeZone}
            now={props.now}
            onLoadOlder={() => void live.loadOlder()}
          />
          <ContactSide
            contact={contact}
            conversations={live.conversations}
            phone={phone}
            timeZone={props.timeZone}
            now={props.now}
          />
        </div>
      </section>
      {dialog === "edit" && (
        <ContactEditor
          contact={contact}
          defaultCountry={props.defaultCountry}
          onSaved={saved}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === "merge" && (
        <ContactMerge
          contact={contact}
          phone={phone}
          onMerged={merged}
          onClose={() => setDialog(null)}
        />
      )}
      <ContactDelete
        contact={contact}
        open={dialog === "delete"}
        onClose={() => setDialog(null)}
        onDeleted={deleted}
      />
    </main>
  );
}
