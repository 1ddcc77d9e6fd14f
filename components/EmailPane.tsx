// An email conversation in the pane: read like a mail client, oldest first, with older emails
// on request and Reply opening the composer on the subject.
import type { Conversation } from "@/lib/shared/types.ts";
import type { Store, Thread } from "@/lib/client/store.ts";
import { loadOlder } from "@/lib/client/actions.ts";
import { EmailCard } from "./EmailView.tsx";
import { BackButton, ContactName } from "./PaneTitle.tsx";
import { IconMail, IconReply } from "./Icons.tsx";
import { Composer } from "./Composer.tsx";
import { TeamBar } from "./TeamBar.tsx";
import { composerTeam, threadNotes } from "./TeamThread.tsx";

/** An email conversation as a reading pane: its subject, every email in it, and Reply. */
export function EmailPane(
  props: { store: Store; conv: Conversation; thread: Thread; label: string },
) {
  const { store, conv, thread } = props;
  const subject = conv.subject ?? thread.emails[thread.emails.length - 1]?.subject ??
    "(no subject)";
  const reply = () =>
    store.composer.value = {
      open: true,
      to: conv.contact,
      subject: /^re:/i.test(subject) ? subject : `Re: ${subject}`,
      reply: true,
    };
  // Notes follow the emails (they are not placed among them by time here).
  const notes = threadNotes(store, conv.id);
  const team = composerTeam(store, conv.id);
  return (
    <section class="reader" aria-label={`Emails with ${props.label}`}>
      <header class="reader-head">
        <BackButton store={store} />
        <div class="reader-title">
          <h1>{subject}</h1>
          <p>
            <IconMail size={13} /> <ContactName conv={conv} label={props.label} /> ·{" "}
            {conv.message_count} {conv.message_count === 1 ? "email" : "emails"}
          </p>
        </div>
        <button type="button" class="button button-secondary" onClick={reply}>
          <IconReply size={15} /> Reply
        </button>
      </header>
      <TeamBar store={store} conv={conv} />
      <div class="reader-scroll">
        {thread.cursor && (
          <button
            type="button"
            class="button button-ghost older-emails"
            disabled={thread.loadingOlder}
            onClick={() => void loadOlder(store)}
          >
            {thread.loadingOlder ? "Loading…" : "Show older emails"}
          </button>
        )}
        {thread.loading && !thread.emails.length && <div class="email-card sk-card" />}
        {thread.emails.map((e) => (
          <EmailCard
            key={e.id}
            email={e}
            timeZone={store.timeZone.value}
            names={{ [conv.contact]: props.label }}
            me={store.settings.userId}
          />
        ))}
        {notes.notes.map((n) => <div key={n.id} class="thread-note">{notes.renderNote(n)}</div>)}
        {thread.error && <p class="callout thread-error" role="alert">{thread.error}</p>}
      </div>
      {team && (
        <Composer
          channel="chat"
          placeholder=""
          onSend={() => {}}
          note={{ ...team, mode: "note", setMode: (m) => m === "reply" && reply() }}
        />
      )}
    </section>
  );
}
