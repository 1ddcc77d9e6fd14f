// The contacts page's right side: one contact (name, numbers, addresses, notes, conversations)
// and every SMS, chat and email with them in one timeline, newest first, following the live
// stream; edit, merge and delete from here. Without a contact it invites to pick or add one.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Contact, ContactDetail, ConversationLink, Entry } from "../lib/shared/types.ts";
import { api, errorWords, setCsrfToken } from "../lib/client/api.ts";
import {
  announceContact,
  type ContactNews,
  fetchContact,
  removeContact,
  timelinePage,
} from "../lib/client/contacts.ts";
import { mergeEntries, toEntry } from "../lib/shared/timeline.ts";
import { followChanges } from "../lib/client/contact_live.ts";
import type { ConnectionState } from "../lib/client/store.ts";
import { ConnectionBadge } from "../components/ConnectionBadge.tsx";
import { usePhoneLabels } from "../lib/client/phone_labels.ts";
import { dayKey, dayLabel, fullTime, listTime } from "../lib/shared/time.ts";
import { TimelineEntry } from "../components/TimelineEntry.tsx";
import { ContactEditor } from "../components/ContactEditor.tsx";
import { ContactMerge } from "../components/ContactMerge.tsx";
import { Modal, ModalActions } from "../components/Modal.tsx";
import { Avatar, CHANNEL_NAMES, ChannelIcon } from "../components/Avatar.tsx";
import { avatarAddress } from "../components/ContactRow.tsx";
import {
  IconAlert,
  IconBack,
  IconCompose,
  IconInbox,
  IconMail,
  IconMerge,
  IconPlus,
  IconSms,
  IconTrash,
} from "../components/Icons.tsx";

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

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function Empty(props: { onNew: () => void }) {
  return (
    <div class="empty-stage">
      <div class="empty-card">
        <div class="empty-art contacts-art" aria-hidden="true">
          <span class="empty-face f1">MC</span>
          <span class="empty-face f2">JA</span>
          <span class="empty-face f3">TB</span>
        </div>
        <h1>Everyone you talk to</h1>
        <p>
          A contact brings one person's texts and emails together in a single timeline, under their
          name everywhere in the inbox.
        </p>
        <div class="empty-actions">
          <button type="button" class="button button-primary" onClick={props.onNew}>
            <IconPlus size={16} /> New contact
          </button>
          <a class="button button-secondary" href="/">
            <IconInbox size={16} /> Back to the inbox
          </a>
        </div>
      </div>
    </div>
  );
}

function Side(props: {
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

/** The contact view island. */
export default function ContactView(props: ContactViewProps) {
  const d = props.detail;
  const [contact, setContact] = useState<Contact | null>(d?.contact ?? null);
  const [conversations, setConversations] = useState(d?.conversations ?? []);
  const [entries, setEntries] = useState<Entry[]>(d?.timeline.items ?? []);
  const [cursor, setCursor] = useState(d?.timeline.next_cursor ?? null);
  const [older, setOlder] = useState<{ loading: boolean; error: string | null }>({
    loading: false,
    error: null,
  });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const phone = usePhoneLabels(props.labels, props.defaultCountry);
  // Live callbacks outlive renders: they read the current contact from here.
  const current = useRef(contact);
  current.current = contact;
  const known = useRef(new Set(d?.contact.conversation_ids ?? []));

  // Fetches the newest page and the conversations again, after a change here or elsewhere.
  const refresh = async (id: string, withContact: boolean) => {
    const fresh = withContact ? await fetchContact(id) : current.current;
    if (!fresh || current.current?.id !== id) return;
    known.current = new Set(fresh.conversation_ids);
    const [page, convs] = await Promise.all([
      timelinePage(id),
      Promise.all(
        fresh.conversation_ids.slice(0, 20).map((c) =>
          api<{ conversation: ConversationLinkSource }>(`/api/conversation/${c}`)
            .then((a) => toLink(a.conversation)).catch(() => null)
        ),
      ),
    ]);
    if (current.current?.id !== id) return;
    if (withContact) setContact(fresh);
    setEntries((list) => mergeEntries(list, page.items.map(toEntry)));
    setConversations(convs.filter((c): c is ConversationLink => c !== null));
  };

  useEffect(() => {
    setCsrfToken(props.csrfToken);
    if (!d) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let withContact = false;
    // A burst of events (a message, its conversation, its status) makes one refresh.
    const soon = (contactToo: boolean) => {
      withContact ||= contactToo;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const id = current.current?.id;
        const again = withContact;
        withContact = false;
        if (id) refresh(id, again).catch(() => {});
      }, 60);
    };
    const stop = followChanges(d.latestEventId, {
      state: setConnection,
      change: (change) => {
        if (known.current.has(change.conversation_id)) soon(false);
        else if (change.type === "conversation_update") {
          // A first message to one of their addresses starts a conversation not seen here yet.
          api<{ conversation: { contact_id?: string | null } }>(
            `/api/conversation/${change.conversation_id}`,
          ).then((a) => a.conversation.contact_id === current.current?.id && soon(true))
            .catch(() => {});
        }
      },
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, []);

  const loadOlder = async () => {
    if (!contact || !cursor || older.loading) return;
    setOlder({ loading: true, error: null });
    try {
      const page = await timelinePage(contact.id, cursor);
      setEntries((list) => mergeEntries(list, page.items.map(toEntry)));
      setCursor(page.next_cursor);
      setOlder({ loading: false, error: null });
    } catch (e) {
      setOlder({ loading: false, error: errorWords(e) });
    }
  };

  const saved = (c: Contact) => {
    setContact(c);
    setDialog(null);
    document.title = `${c.name} · Contacts · Hatch`;
    announceContact({ saved: c });
    refresh(c.id, false).catch(() => {});
  };

  const merged = (c: Contact, other: Contact) => {
    setContact(c);
    setDialog(null);
    const news: ContactNews = { deleted: other.id, into: c };
    announceContact(news);
    refresh(c.id, false).catch(() => {});
  };

  const remove = async () => {
    if (!contact || deleting) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await removeContact(contact.id);
      announceContact({ deleted: contact.id });
      location.assign("/contacts");
    } catch (e) {
      setDeleteError(errorWords(e));
      setDeleting(false);
    }
  };

  if (!contact) {
    return (
      <main class={`stage contact-stage${props.notFound ? " is-front" : ""}`} id="main">
        {props.notFound
          ? (
            <div class="empty-stage">
              <div class="empty-card">
                <a class="icon-button back-button" href="/contacts" aria-label="Back to contacts">
                  <IconBack size={20} />
                </a>
                <h1>Contact not found</h1>
                <p>{props.notFound}</p>
                <div class="empty-actions">
                  <a class="button button-secondary" href="/contacts">All contacts</a>
                </div>
              </div>
            </div>
          )
          : <Empty onNew={() => setDialog("new")} />}
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

  const days: { key: string; label: string; items: Entry[] }[] = [];
  for (const e of entries) {
    const key = dayKey(e.timestamp, props.timeZone);
    const last = days[days.length - 1];
    if (last?.key === key) last.items.push(e);
    else {
      days.push({
        key,
        label: dayLabel(e.timestamp, new Date(props.now), props.timeZone),
        items: [e],
      });
    }
  }
  const counts = [
    plural(contact.phones.length, "phone number", "phone numbers"),
    plural(contact.emails.length, "email", "emails"),
    plural(conversations.length, "conversation", "conversations"),
  ];

  return (
    <main class="stage contact-stage is-front" id="main">
      <section class="contact-page" aria-labelledby="contact-name-title">
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
            <button type="button" class="button button-secondary" onClick={() => setDialog("edit")}>
              <IconCompose size={15} /> Edit
            </button>
            <button
              type="button"
              class="button button-secondary"
              onClick={() => setDialog("merge")}
            >
              <IconMerge size={15} /> Merge
            </button>
            <button
              type="button"
              class="icon-button icon-danger"
              aria-label="Delete contact"
              title="Delete contact"
              onClick={() => {
                setDeleteError(null);
                setDialog("delete");
              }}
            >
              <IconTrash size={17} />
            </button>
          </div>
        </header>
        <div class="contact-body">
          <section class="contact-main" aria-labelledby="activity-title">
            <div class="section-head">
              <h2 class="section-title" id="activity-title">Activity</h2>
              <ConnectionBadge state={connection} />
            </div>
            {entries.length === 0
              ? (
                <div class="tl-empty">
                  <p class="tl-empty-title">No messages with {contact.name} yet</p>
                  <p>Texts and emails to and from their numbers and addresses will show here.</p>
                </div>
              )
              : (
                <ol class="timeline" aria-label={`Messages with ${contact.name}`}>
                  {days.map((day) => (
                    <li key={day.key} class="tl-day">
                      <h3 class="tl-day-label">{day.label}</h3>
                      <ol class="tl-entries">
                        {day.items.map((e) => (
                          <TimelineEntry
                            key={e.id}
                            entry={e}
                            address={e.channel === "sms" ? phone(e.address) : e.address}
                            timeZone={props.timeZone}
                          />
                        ))}
                      </ol>
                    </li>
                  ))}
                </ol>
              )}
            {older.error && <p class="thread-error" role="alert">{older.error}</p>}
            {cursor && (
              <button
                type="button"
                class="button button-secondary tl-older"
                disabled={older.loading}
                onClick={loadOlder}
              >
                {older.loading ? "Loading…" : "Load older"}
              </button>
            )}
          </section>
          <Side
            contact={contact}
            conversations={conversations}
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
      <Modal
        open={dialog === "delete"}
        title={`Delete ${contact.name}?`}
        size="sm"
        onClose={() => setDialog(null)}
      >
        <div class="modal-form">
          <p class="modal-lead">
            Their conversations, texts and emails stay in the inbox, shown by number or address
            instead of a name. This cannot be undone.
          </p>
          {deleteError && (
            <p class="form-error" role="alert">
              <IconAlert size={16} /> {deleteError}
            </p>
          )}
          <ModalActions onCancel={() => setDialog(null)} busy={deleting} danger onAction={remove}>
            <IconTrash size={15} /> {deleting ? "Deleting…" : "Delete contact"}
          </ModalActions>
        </div>
      </Modal>
    </main>
  );
}

/** The fields of `GET /api/conversation/:id` a conversation link uses. */
interface ConversationLinkSource {
  id: string;
  channel: ConversationLink["channel"];
  contact: string;
  message_count: number;
  last_message_time: string;
}

function toLink(c: ConversationLinkSource): ConversationLink {
  return {
    id: c.id,
    channel: c.channel,
    address: c.contact,
    message_count: c.message_count,
    last_message_time: c.last_message_time,
  };
}
