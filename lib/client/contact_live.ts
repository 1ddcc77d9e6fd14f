// The contact page's live timeline: the contact, its conversations and its timeline as the page
// rendered them, kept current from the live stream (which conversations changed, so the page
// fetches its timeline again) and paged back on request. The inbox's counterpart is sync.ts.
import { useEffect, useRef, useState } from "preact/hooks";
import { type EventType, followStream } from "./event_stream.ts";
import { errorWords } from "./api.ts";
import { conversationLinks, fetchContact, fetchConversation, timelinePage } from "./contacts.ts";
import type { ConnectionState } from "./store.ts";
import { mergeEntries, toEntry } from "@/lib/shared/timeline.ts";
import type { Contact, ContactDetail, ConversationLink, Entry } from "@/lib/shared/types.ts";

/** One change from `/api/events`: its type and the conversation it happened in. */
export interface Change {
  type: EventType;
  conversation_id: string;
}

/** Follows the stream after event `after`; returns the way to stop. */
export function followChanges(
  after: string,
  on: { change: (c: Change) => void; state: (s: ConnectionState) => void },
): () => void {
  return followStream(after, {
    event: (type, data) => {
      // Notes and presence change nothing a contact's page shows.
      if (type === "presence" || type === "note_update") return;
      if (typeof data.conversation_id === "string") {
        on.change({ type, conversation_id: data.conversation_id });
      }
    },
    state: on.state,
  });
}

/** What the contact page shows of a contact, kept live. */
export interface ContactTimeline {
  contact: Contact | null;
  conversations: ConversationLink[];
  /** Newest first. */
  entries: Entry[];
  /** Where the next older page starts; null once the oldest is shown. */
  cursor: string | null;
  older: { loading: boolean; error: string | null };
  connection: ConnectionState;
  /** Loads the next older page of the timeline. */
  loadOlder(): Promise<void>;
  /** After the contact was changed here (saved, merged into): shows it and fetches the rest again. */
  changed(contact: Contact): void;
}

/** A burst of events (a message, its conversation, its status) makes one refresh. */
const SETTLE_MS = 60;

/** The contact page's contact and timeline, from the page's first screen on, following the stream. */
export function useContactTimeline(detail: ContactDetail | null): ContactTimeline {
  const [contact, setContact] = useState<Contact | null>(detail?.contact ?? null);
  const [conversations, setConversations] = useState(detail?.conversations ?? []);
  const [entries, setEntries] = useState<Entry[]>(detail?.timeline.items ?? []);
  const [cursor, setCursor] = useState(detail?.timeline.next_cursor ?? null);
  const [older, setOlder] = useState<{ loading: boolean; error: string | null }>({
    loading: false,
    error: null,
  });
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  // Live callbacks outlive renders: they read the current contact from here.
  const current = useRef(contact);
  current.current = contact;
  const known = useRef(new Set(detail?.contact.conversation_ids ?? []));

  // Fetches the newest page and the conversations again, after a change here or elsewhere.
  const refresh = async (id: string, withContact: boolean) => {
    const fresh = withContact ? await fetchContact(id) : current.current;
    if (!fresh || current.current?.id !== id) return;
    known.current = new Set(fresh.conversation_ids);
    const [page, links] = await Promise.all([
      timelinePage(id),
      conversationLinks(fresh.conversation_ids),
    ]);
    if (current.current?.id !== id) return;
    if (withContact) setContact(fresh);
    setEntries((list) => mergeEntries(list, page.items.map(toEntry)));
    setConversations(links);
  };

  useEffect(() => {
    if (!detail) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let withContact = false;
    const soon = (contactToo: boolean) => {
      withContact ||= contactToo;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const id = current.current?.id;
        const again = withContact;
        withContact = false;
        if (id) refresh(id, again).catch(() => {});
      }, SETTLE_MS);
    };
    const stop = followChanges(detail.latestEventId, {
      state: setConnection,
      change: (change) => {
        if (known.current.has(change.conversation_id)) soon(false);
        else if (change.type === "conversation_update") {
          // A first message to one of their addresses starts a conversation not seen here yet.
          fetchConversation(change.conversation_id)
            .then((c) => c.contact_id === current.current?.id && soon(true))
            .catch(() => {});
        }
      },
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, []);

  return {
    contact,
    conversations,
    entries,
    cursor,
    older,
    connection,
    async loadOlder() {
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
    },
    changed(c) {
      setContact(c);
      refresh(c.id, false).catch(() => {});
    },
  };
}
