// The contact form, in a modal: a name, any number of phone numbers and email addresses, and
// notes. Numbers are checked as they are typed once libphonenumber has arrived (loaded lazily,
// as in "New conversation"); the server normalises them and has the last word, and its refusals
// ("already belongs to contact …") show in the form.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Contact } from "@/lib/shared/types.ts";
import { isEmail, looksLikePhone } from "@/lib/shared/address.ts";
import { type ContactDraft, saveContact } from "@/lib/client/contacts.ts";
import { Modal, ModalActions } from "./Modal.tsx";
import { IconAlert, IconCheck, IconClose, IconMail, IconPlus, IconSms } from "./Icons.tsx";
import { errorWords } from "@/lib/client/api.ts";

type PhoneModule = typeof import("@/lib/shared/phone.ts");

/** Most addresses of one kind the server keeps for a contact. */
const MAX = 20;

function phoneProblem(text: string, country: string, phone: PhoneModule | null): string | null {
  const t = text.trim();
  if (!t) return null;
  if (!looksLikePhone(t)) return `"${t}" is not a phone number`;
  if (!phone) return null;
  const read = phone.readPhone(t, country);
  if (read.kind === "phone") return null;
  return `"${t}" is not a valid phone number${
    read.kind === "bad" ? `: ${read.problem}` : read.kind === "partial" ? ": too few digits" : ""
  }`;
}

function AddressList(props: {
  kind: "phone" | "email";
  values: string[];
  problems: (string | null)[];
  hints: (string | null)[];
  showProblems: boolean;
  onChange: (values: string[]) => void;
}) {
  const { kind, values } = props;
  const list = useRef<HTMLDivElement>(null);
  const noun = kind === "phone" ? "phone number" : "email address";
  // The new row takes the focus as it is rendered, not a frame later: by then a fast typist
  // (or a test) may already be in another field, and the keystrokes would land in the new row.
  const focusNew = useRef(false);
  useLayoutEffect(() => {
    if (!focusNew.current) return;
    focusNew.current = false;
    const inputs = list.current?.querySelectorAll<HTMLInputElement>("input");
    inputs?.[inputs.length - 1]?.focus();
  }, [values.length]);
  const add = () => {
    focusNew.current = true;
    props.onChange([...values, ""]);
  };
  return (
    <fieldset class="field address-list">
      <legend>{kind === "phone" ? "Phone numbers" : "Email addresses"}</legend>
      <div ref={list} class="address-rows">
        {values.map((v, i) => (
          <div
            key={i}
            class={`address-row${props.showProblems && props.problems[i] ? " has-error" : ""}`}
          >
            <span class="address-icon" aria-hidden="true">
              {kind === "phone" ? <IconSms size={15} /> : <IconMail size={15} />}
            </span>
            <input
              type="text"
              inputMode={kind === "phone" ? "tel" : "email"}
              name={kind === "phone" ? "phone" : "email"}
              value={v}
              placeholder={kind === "phone" ? "(415) 555-0142" : "name@example.com"}
              aria-label={`${kind === "phone" ? "Phone number" : "Email address"} ${i + 1}`}
              aria-invalid={props.showProblems && !!props.problems[i]}
              autocomplete="off"
              onInput={(e) =>
                props.onChange(values.map((x, j) => j === i ? e.currentTarget.value : x))}
            />
            <button
              type="button"
              class="icon-button"
              aria-label={`Remove ${noun} ${i + 1}`}
              onClick={() => props.onChange(values.filter((_, j) => j !== i))}
            >
              <IconClose size={15} />
            </button>
            {props.showProblems && props.problems[i]
              ? <p class="callout field-error">{props.problems[i]}</p>
              : props.hints[i] && (
                <p class="callout callout-success field-hint">
                  <IconCheck size={12} /> {props.hints[i]}
                </p>
              )}
          </div>
        ))}
      </div>
      {values.length < MAX && (
        <button type="button" class="link-button add-address" onClick={add}>
          <IconPlus size={14} /> Add {values.length ? "another" : kind === "phone" ? "a" : "an"}
          {" "}
          {noun}
        </button>
      )}
    </fieldset>
  );
}

/** Creates (no `contact`) or edits a contact; `prefill` starts a new one with known addresses. */
export function ContactEditor(props: {
  contact?: Contact | null;
  prefill?: Partial<ContactDraft>;
  defaultCountry: string;
  onSaved: (contact: Contact) => void;
  onClose: () => void;
}) {
  const c = props.contact;
  // A new contact starts with a row of each kind, ready to type into.
  const [draft, setDraft] = useState<ContactDraft>(() => ({
    name: c?.name ?? props.prefill?.name ?? "",
    phones: c?.phones ?? (props.prefill?.phones?.length ? props.prefill.phones : [""]),
    emails: c?.emails ?? (props.prefill?.emails?.length ? props.prefill.emails : [""]),
    notes: c?.notes ?? props.prefill?.notes ?? "",
  }));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [phone, setPhone] = useState<PhoneModule | null>(null);

  useEffect(() => {
    import("@/lib/shared/phone.ts").then(setPhone).catch(() => {});
  }, []);

  const country = props.defaultCountry;
  const phoneProblems = draft.phones.map((p) => phoneProblem(p, country, phone));
  const phoneHints = draft.phones.map((p) => {
    if (!phone || !p.trim() || phoneProblem(p, country, phone)) return null;
    return phone.checkPhone(p, country).display;
  });
  const emailProblems = draft.emails.map((e) =>
    e.trim() && !isEmail(e.trim()) ? `"${e.trim()}" is not a valid email address` : null
  );
  const nameProblem = draft.name.trim() ? null : "Give the contact a name";
  const invalid = !!nameProblem || phoneProblems.some(Boolean) || emailProblems.some(Boolean);

  const submit = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (invalid || busy) return;
    setBusy(true);
    setError(null);
    try {
      props.onSaved(await saveContact(draft, c?.id));
    } catch (err) {
      setError(errorWords(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={c ? `Edit ${c.name}` : "New contact"}
      onClose={props.onClose}
      focus="#contact-name"
    >
      <form class="modal-form contact-form" onSubmit={submit} noValidate>
        <div class={`field${tried && nameProblem ? " has-error" : ""}`}>
          <label for="contact-name">Name</label>
          <input
            id="contact-name"
            value={draft.name}
            maxLength={200}
            placeholder="Maria Chen"
            autocomplete="off"
            aria-invalid={tried && !!nameProblem}
            onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
          />
          {tried && nameProblem && <p class="callout field-error">{nameProblem}</p>}
        </div>
        <AddressList
          kind="phone"
          values={draft.phones}
          problems={phoneProblems}
          hints={phoneHints}
          showProblems={tried}
          onChange={(phones) => setDraft({ ...draft, phones })}
        />
        <AddressList
          kind="email"
          values={draft.emails}
          problems={emailProblems}
          hints={[]}
          showProblems={tried}
          onChange={(emails) => setDraft({ ...draft, emails })}
        />
        <div class="field">
          <label for="contact-notes">Notes</label>
          <textarea
            id="contact-notes"
            class="notes-input"
            value={draft.notes}
            maxLength={10_000}
            placeholder="Preferences, orders, anything the team should know"
            onInput={(e) => setDraft({ ...draft, notes: e.currentTarget.value })}
          />
        </div>
        {error && (
          <p class="callout callout-boxed form-error" role="alert">
            <IconAlert size={16} /> {error}
          </p>
        )}
        <ModalActions onCancel={props.onClose} busy={busy}>
          {busy ? "Saving…" : c ? "Save changes" : "Create contact"}
        </ModalActions>
      </form>
    </Modal>
  );
}
