// "New conversation": the To field. A phone number, however it is written (read by the shared
// `readPhone`, national numbers in the settings' default country), starts an SMS; contacts
// matching what is typed (name, number or email) are offered as you type; an email address
// opens the composer; text that looks like a failed number is refused in words. An in-app chat
// is never the default: it is an option of its own, picked on purpose.
import { useEffect, useRef, useState } from "preact/hooks";
import { isEmail, looksLikePhone } from "@/lib/shared/address.ts";
import type { PhoneReading } from "@/lib/shared/phone.ts";
import type { Contact } from "@/lib/shared/types.ts";
import { loadPhone, phoneLabel, phoneModule } from "@/lib/client/labels.ts";
import { findContacts } from "@/lib/client/contacts.ts";
import type { Store } from "@/lib/client/store.ts";
import { IconChat, IconClose, IconMail, IconSms } from "./Icons.tsx";

/** One thing the field can start. */
type Choice =
  | { kind: "sms"; e164: string; label: string; detail: string; contact?: string }
  | { kind: "email"; address: string; label: string; detail: string; contact?: string }
  | { kind: "chat"; name: string; label: string; detail: string };

function reading(text: string, country: string): PhoneReading | "pending" {
  const phone = phoneModule();
  if (phone) return phone.readPhone(text, country);
  return looksLikePhone(text) ? "pending" : { kind: "none" };
}

/** The choices for `text`: the number or address it is, matching contacts' addresses, a chat. */
function choicesFor(
  text: string,
  read: PhoneReading | "pending",
  contacts: Contact[],
  label: (e164: string) => string,
): Choice[] {
  const t = text.trim();
  const list: Choice[] = [];
  if (typeof read === "object" && read.kind === "phone") {
    list.push({
      kind: "sms",
      e164: read.e164,
      label: read.display,
      detail: read.vanity ? `SMS · ${t} is ${read.display}` : "SMS",
    });
  }
  if (isEmail(t)) list.push({ kind: "email", address: t, label: t, detail: "Write an email" });
  for (const c of contacts) {
    for (const p of c.phones) {
      const typed = list.find((x): x is Extract<Choice, { kind: "sms" }> =>
        x.kind === "sms" && x.e164 === p
      );
      if (typed) {
        // The number typed is this contact's: say whose.
        typed.detail = `SMS · ${typed.label}`;
        typed.label = c.name;
        typed.contact = c.id;
        continue;
      }
      list.push({
        kind: "sms",
        e164: p,
        label: c.name,
        detail: `SMS · ${label(p)}`,
        contact: c.id,
      });
    }
    for (const e of c.emails) {
      if (list.some((x) => x.kind === "email" && x.address === e)) continue;
      list.push({
        kind: "email",
        address: e,
        label: c.name,
        detail: `Email · ${e}`,
        contact: c.id,
      });
    }
  }
  if (typeof read === "object" && read.kind === "none" && !isEmail(t) && t.length <= 100) {
    list.push({
      kind: "chat",
      name: t,
      label: `In-app chat with “${t}”`,
      detail: "Stays in Hatch: no text or email is sent",
    });
  }
  return list.slice(0, 8);
}

/** The field that starts a conversation with someone new. */
export function NewConversation(props: {
  store: Store;
  /** `name`: the contact a number was picked from. */
  onStart: (to: string, channel: "sms" | "chat", name?: string) => void;
  onEmail: (to: string) => void;
  onClose: () => void;
}) {
  const { store } = props;
  const [text, setText] = useState("");
  const [contacts, setContacts] = useState<{ q: string; list: Contact[] }>({ q: "", list: [] });
  const [active, setActive] = useState(0);
  const [tried, setTried] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // Subscribes to the phone module's arrival.
  void store.labelsVersion.value;
  useEffect(() => {
    input.current?.focus();
    void loadPhone(store);
  }, []);
  // Contacts matching the text, a moment after typing stops; an answer for old text is dropped.
  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setContacts({ q, list: [] });
      return;
    }
    const timer = setTimeout(() => {
      findContacts(q, null, 5).then((page) =>
        setContacts((now) => (input.current?.value.trim() === q ? { q, list: page.contacts } : now))
      ).catch(() => {});
    }, 150);
    return () => clearTimeout(timer);
  }, [text]);

  const country = store.settings.defaultCountry;
  const t = text.trim();
  const read = t ? reading(t, country) : { kind: "none" as const };
  const matching = contacts.q === t ? contacts.list : [];
  const choices = t ? choicesFor(t, read, matching, (p) => phoneLabel(store, p)) : [];
  // A chat is never picked by Enter alone: it must be chosen (arrows, or a click).
  const first = choices.findIndex((c) => c.kind !== "chat");
  const at = active >= 0 && active < choices.length ? active : first;
  const bad = typeof read === "object" && read.kind === "bad" ? read : null;

  const pick = (c: Choice) => {
    if (c.kind === "sms") props.onStart(c.e164, "sms", c.contact ? c.label : undefined);
    else if (c.kind === "chat") props.onStart(c.name, "chat");
    else props.onEmail(c.address);
  };

  const submit = (e: Event) => {
    e.preventDefault();
    setTried(true);
    const c = at >= 0 ? choices[at] : undefined;
    if (c) pick(c);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.preventDefault();
      props.onClose();
    } else if (e.key === "Enter" && at < 0) {
      // The Start button is off, so the form would not submit: say what Enter is waiting for.
      e.preventDefault();
      setTried(true);
    } else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && choices.length) {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive(((at < 0 ? -1 : at) + step + choices.length) % choices.length);
    }
  };

  const hint = !t
    ? `A name, phone number or email (numbers without + are read as ${country})`
    : bad
    ? `“${t}” is not a phone number: ${bad.problem}`
    : read === "pending" || (typeof read === "object" && read.kind === "partial")
    ? `Keep typing: ${typeof read === "object" && read.kind === "partial" ? read.display : t}`
    : tried && at < 0 && choices.length
    ? "Choose the in-app chat below to start a chat that stays in Hatch"
    : !choices.length
    ? t.length > 100 ? "A name can be at most 100 characters" : "No contact matches"
    : null;

  return (
    <form class="new-conv" onSubmit={submit} onKeyDown={onKey}>
      <div class="new-conv-head">
        <label for="new-conv-to">New conversation</label>
        <button type="button" class="icon-button" aria-label="Cancel" onClick={props.onClose}>
          <IconClose size={16} />
        </button>
      </div>
      <div class="new-conv-field">
        <input
          id="new-conv-to"
          ref={input}
          value={text}
          placeholder="Name, phone number or email"
          autocomplete="off"
          role="combobox"
          aria-expanded={choices.length > 0}
          aria-controls="new-conv-choices"
          aria-activedescendant={at >= 0 ? `new-conv-choice-${at}` : undefined}
          aria-describedby="new-conv-hint"
          aria-invalid={!!bad}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setActive(-1);
            setTried(false);
          }}
        />
        <button type="submit" class="button button-primary" disabled={at < 0}>
          {at >= 0 && choices[at].kind === "email" ? "Compose" : "Start"}
        </button>
      </div>
      {choices.length > 0 && (
        <ul class="new-conv-choices" id="new-conv-choices" role="listbox" aria-label="Start with">
          {choices.map((c, i) => (
            <li
              key={`${c.kind}:${c.kind === "sms" ? c.e164 : c.kind === "email" ? c.address : ""}`}
              id={`new-conv-choice-${i}`}
              role="option"
              aria-selected={i === at}
              class={`new-conv-choice choice-${c.kind}${i === at ? " is-active" : ""}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() =>
                pick(c)}
            >
              {c.kind === "sms"
                ? <IconSms size={14} />
                : c.kind === "email"
                ? <IconMail size={14} />
                : <IconChat size={14} />}
              <span class="choice-words">
                <strong>{c.label}</strong>
                <span class="choice-detail">{c.detail}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      <p
        id="new-conv-hint"
        class={`hint${bad || t.length > 100 ? " is-error" : ""}`}
        role={bad ? "alert" : undefined}
        aria-live="polite"
        hidden={hint === null}
      >
        {hint}
      </p>
    </form>
  );
}
