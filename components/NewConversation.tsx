// "New conversation": a phone number (checked as it is typed, national numbers in the
// settings' default country) starts an SMS thread; a name starts an in-app chat.
import { useEffect, useRef, useState } from "preact/hooks";
import { isEmail, looksLikePhone } from "@/lib/shared/address.ts";
import { loadPhone, phoneModule } from "@/lib/client/labels.ts";
import type { Store } from "@/lib/client/store.ts";
import { IconChat, IconClose, IconMail, IconSms } from "./Icons.tsx";

type Verdict =
  | { kind: "empty" }
  | { kind: "sms"; e164: string; display: string }
  | { kind: "phone-pending"; display: string }
  | { kind: "phone-bad"; display: string }
  | { kind: "email"; address: string }
  | { kind: "chat"; name: string }
  | { kind: "too-long" };

function judge(text: string, country: string): Verdict {
  const t = text.trim();
  if (!t) return { kind: "empty" };
  if (looksLikePhone(t)) {
    const phone = phoneModule();
    if (!phone) return { kind: "phone-pending", display: t };
    const check = phone.checkPhone(t, country);
    if (check.valid && check.e164) return { kind: "sms", e164: check.e164, display: check.display };
    return t.replace(/\D/g, "").length < 8
      ? { kind: "phone-pending", display: check.display }
      : { kind: "phone-bad", display: check.display };
  }
  if (isEmail(t)) return { kind: "email", address: t };
  if (t.length > 100) return { kind: "too-long" };
  return { kind: "chat", name: t };
}

/** The field that starts a conversation with someone new. */
export function NewConversation(props: {
  store: Store;
  onStart: (to: string, channel: "sms" | "chat") => void;
  onEmail: (to: string) => void;
  onClose: () => void;
}) {
  const { store } = props;
  const [text, setText] = useState("");
  const input = useRef<HTMLInputElement>(null);
  // Subscribes to the phone module's arrival.
  void store.labelsVersion.value;
  useEffect(() => {
    input.current?.focus();
    void loadPhone(store);
  }, []);
  const country = store.settings.defaultCountry;
  const v = judge(text, country);
  const ready = v.kind === "sms" || v.kind === "chat" || v.kind === "email";

  const submit = (e: Event) => {
    e.preventDefault();
    if (v.kind === "sms") props.onStart(v.e164, "sms");
    else if (v.kind === "chat") props.onStart(v.name, "chat");
    else if (v.kind === "email") props.onEmail(v.address);
  };

  return (
    <form
      class="new-conv"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          props.onClose();
        }
      }}
    >
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
          placeholder="Phone number or name"
          autocomplete="off"
          aria-describedby="new-conv-hint"
          aria-invalid={v.kind === "phone-bad" || v.kind === "too-long"}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button type="submit" class="button button-primary" disabled={!ready}>
          {v.kind === "email" ? "Compose" : "Start"}
        </button>
      </div>
      <p
        id="new-conv-hint"
        class={`hint${v.kind === "phone-bad" || v.kind === "too-long" ? " is-error" : ""}${
          ready ? " is-ok" : ""
        }`}
        aria-live="polite"
      >
        {v.kind === "empty" &&
          `A phone number starts an SMS (numbers without + are read as ${country}); a name starts an in-app chat`}
        {v.kind === "phone-pending" && <>Keep typing: {v.display}</>}
        {v.kind === "phone-bad" && <>“{v.display}” is not a valid phone number</>}
        {v.kind === "sms" && (
          <>
            <IconSms size={13} /> SMS to <strong>{v.display}</strong>
          </>
        )}
        {v.kind === "chat" && (
          <>
            <IconChat size={13} /> In-app chat with <strong>{v.name}</strong>
          </>
        )}
        {v.kind === "email" && (
          <>
            <IconMail size={13} /> An email address: write an email to <strong>{v.address}</strong>
          </>
        )}
        {v.kind === "too-long" && "A name can be at most 100 characters"}
      </p>
    </form>
  );
}
