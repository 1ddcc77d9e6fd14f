// Merging a duplicate into this contact: find the other one, see what moves, confirm. The
// server moves the other's numbers, addresses and notes here and deletes it, in one transaction.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Contact } from "@/lib/shared/types.ts";
import { findContacts, mergeInto } from "@/lib/client/contacts.ts";
import { Modal } from "./Modal.tsx";
import { Avatar } from "./Avatar.tsx";
import { avatarAddress, reachLine } from "./ContactRow.tsx";
import { IconAlert, IconArrowOut, IconSearch } from "./Icons.tsx";
import { errorWords } from "@/lib/client/api.ts";

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The merge dialog for `contact`; `onMerged` gets the contact as it is after the merge. */
export function ContactMerge(props: {
  contact: Contact;
  phone: (e164: string) => string;
  onMerged: (merged: Contact, other: Contact) => void;
  onClose: () => void;
}) {
  const me = props.contact;
  const [q, setQ] = useState("");
  const [found, setFound] = useState<Contact[] | null>(null);
  const [pick, setPick] = useState<Contact | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    // Before anything is typed, duplicates are likeliest among those sharing the first name.
    const first = me.name.trim().split(/\s+/)[0] ?? "";
    const find = async () => {
      if (q.trim() || !first) return (await findContacts(q, null, 8)).contacts;
      const alike = (await findContacts(first, null, 8)).contacts.filter((c) => c.id !== me.id);
      return alike.length ? alike : (await findContacts("", null, 8)).contacts;
    };
    const t = setTimeout(() => {
      find()
        .then((list) => mine === seq.current && setFound(list))
        .catch((e) => mine === seq.current && setError(errorWords(e)));
    }, q ? 160 : 0);
    return () => clearTimeout(t);
  }, [q]);

  const merge = async () => {
    if (!pick || busy) return;
    setBusy(true);
    setError(null);
    try {
      props.onMerged(await mergeInto(me.id, pick.id), pick);
    } catch (e) {
      setError(errorWords(e));
      setBusy(false);
    }
  };

  const others = (found ?? []).filter((c) => c.id !== me.id);
  return (
    <Modal open title={`Merge into ${me.name}`} onClose={props.onClose} focus="#merge-find">
      <div class="modal-form merge">
        {!pick
          ? (
            <>
              <p class="modal-lead">
                Pick the duplicate. Its phone numbers, email addresses and notes move to{" "}
                <strong>{me.name}</strong>, then the duplicate is deleted.
              </p>
              <div class="search merge-search">
                <IconSearch size={16} />
                <label class="sr-only" for="merge-find">Find the other contact</label>
                <input
                  id="merge-find"
                  type="search"
                  value={q}
                  placeholder="Search names, numbers, emails"
                  autocomplete="off"
                  onInput={(e) => setQ(e.currentTarget.value)}
                />
              </div>
              <ul class="pick-list" aria-label="Contacts">
                {others.map((c) => (
                  <li key={c.id}>
                    <button type="button" class="pick" onClick={() => setPick(c)}>
                      <Avatar label={c.name} address={avatarAddress(c)} size="sm" />
                      <span class="pick-main">
                        <span class="pick-name">{c.name}</span>
                        <span class="pick-sub">{reachLine(c, props.phone)}</span>
                      </span>
                    </button>
                  </li>
                ))}
                {found && !others.length && (
                  <li class="pick-none">
                    {q.trim() ? `Nobody else matches “${q.trim()}”` : "No other contacts yet"}
                  </li>
                )}
              </ul>
            </>
          )
          : (
            <>
              <div class="merge-preview" aria-hidden="true">
                <span class="merge-who">
                  <Avatar label={pick.name} address={avatarAddress(pick)} size="lg" />
                  <span>{pick.name}</span>
                </span>
                <span class="merge-arrow">
                  <IconArrowOut size={20} />
                </span>
                <span class="merge-who">
                  <Avatar label={me.name} address={avatarAddress(me)} size="lg" />
                  <span>{me.name}</span>
                </span>
              </div>
              <p class="modal-lead merge-words">
                <strong>{pick.name}</strong> will be merged into <strong>{me.name}</strong>: {count(
                  pick.phones.length,
                  "phone number",
                  "phone numbers",
                )} and {count(pick.emails.length, "email address", "email addresses")}
                {pick.notes.trim() ? ", with the notes," : ""} move here, and {pick.name}{" "}
                is deleted. The name {me.name} stays.
              </p>
            </>
          )}
        {error && (
          <p class="callout callout-boxed form-error" role="alert">
            <IconAlert size={16} /> {error}
          </p>
        )}
        <div class="modal-actions">
          {pick
            ? (
              <>
                <button type="button" class="button button-ghost" onClick={() => setPick(null)}>
                  Back
                </button>
                <button
                  type="button"
                  class="button button-primary"
                  disabled={busy}
                  onClick={merge}
                >
                  {busy ? "Merging…" : "Merge contacts"}
                </button>
              </>
            )
            : (
              <button type="button" class="button button-ghost" onClick={props.onClose}>
                Cancel
              </button>
            )}
        </div>
      </div>
    </Modal>
  );
}
