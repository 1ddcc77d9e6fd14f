// The contacts page's right side when no contact is open: an invitation to pick or add one, or
// word that the one asked for does not exist.
import { IconBack, IconInbox, IconPlus } from "./Icons.tsx";

/** No contact open: what contacts are for, and the way to make one. */
export function ContactInvite(props: { onNew: () => void }) {
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

/** The contact asked for does not exist; `words` says which. */
export function ContactNotFound(props: { words: string }) {
  return (
    <div class="empty-stage">
      <div class="empty-card">
        <a class="icon-button back-button" href="/contacts" aria-label="Back to contacts">
          <IconBack size={20} />
        </a>
        <h1>Contact not found</h1>
        <p>{props.words}</p>
        <div class="empty-actions">
          <a class="button button-secondary" href="/contacts">All contacts</a>
        </div>
      </div>
    </div>
  );
}
