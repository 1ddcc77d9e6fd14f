// The seed's "Compose Email" modal: To, Cc, Bcc, Subject, Body, addresses checked as they are
// typed (To also takes `Name <address>` or a contact's name); on success a five-second
// countdown while the email's conversation opens behind; on error it stays open and says what
// went wrong. A native modal <dialog> keeps the page behind it inert; Tab is also kept inside
// explicitly, and Esc or the close button closes it, keeping what was written as a draft until
// it is sent or discarded.
import { useEffect, useRef, useState } from "preact/hooks";
import { useStore } from "@/lib/client/store.ts";
import { emailListProblem } from "@/lib/shared/address.ts";
import { api, errorWords } from "@/lib/client/api.ts";
import { boot } from "@/lib/client/boot.ts";
import { openConversation } from "@/lib/client/actions.ts";
import { type EmailTo, useEmailTo } from "@/lib/client/email_to.ts";
import { IconAlert, IconCheck, IconClose, IconSend } from "@/components/Icons.tsx";

/** Seconds the success message stays before the modal closes itself. */
export const CLOSE_AFTER_SECONDS = 5;

type Field = "to" | "cc" | "bcc" | "subject" | "body";
type Values = Record<Field, string>;
type Phase =
  | { kind: "editing" }
  | { kind: "sending" }
  // A field's problem is read live (`field`): a contact lookup still running when Send was
  // pressed ends in words of its own, and a fixed field takes its message with it.
  | { kind: "error"; words: string; field?: Field }
  | { kind: "sent"; to: string; left: number };

const EMPTY: Values = { to: "", cc: "", bcc: "", subject: "", body: "" };

function problems(v: Values, to: EmailTo): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {};
  if (to.problem) out.to = to.problem;
  const cc = emailListProblem(v.cc, { required: false });
  if (cc) out.cc = cc;
  const bcc = emailListProblem(v.bcc, { required: false });
  if (bcc) out.bcc = bcc;
  if (!v.subject.trim()) out.subject = "Add a subject";
  if (!v.body.trim()) out.body = "Write a message";
  return out;
}

const FOCUSABLE = "a[href],button:not([disabled]),input:not([disabled]),textarea:not([disabled])";

const hasText = (v: Values) => Object.values(v).some((x) => x.trim() !== "");

/** The compose-email modal island; opened through the store's `composer` signal. */
export default function EmailComposer(props: {
  csrfToken: string | null;
  /** The address emails go out from, shown beside Send. */
  from?: string;
}) {
  const store = useStore("EmailComposer", () => ({ csrfToken: props.csrfToken }));
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const [values, setValues] = useState<Values>(EMPTY);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [phase, setPhase] = useState<Phase>({ kind: "editing" });
  // What was written when the window closed unsent: offered again until sent or discarded.
  const kept = useRef<Values | null>(null);
  const [restored, setRestored] = useState(false);
  const state = store.composer.value;
  const to = useEmailTo(values.to);

  useEffect(() => boot(store), []);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (state.open && !d.open) {
      opener.current = document.activeElement;
      const draft = kept.current;
      const same = draft && (!state.to || draft.to.trim() === state.to);
      setValues(same ? draft : { ...EMPTY, to: state.to ?? "", subject: state.subject ?? "" });
      setRestored(!!same);
      setTouched({});
      setPhase({ kind: "editing" });
      d.showModal();
      const focusField = () => {
        const field = same
          ? "body"
          : state.to && state.subject
          ? "body"
          : state.to
          ? "subject"
          : "to";
        d.querySelector<HTMLElement>(`#email-${field}`)?.focus();
      };
      // At once, as showModal() has just focused the close button and a keystroke would go
      // there; again on the next frame in case the form was still the last send's countdown.
      focusField();
      requestAnimationFrame(() => {
        if (!(document.activeElement instanceof HTMLInputElement)) focusField();
      });
    } else if (!state.open && d.open) {
      d.close();
      (opener.current as HTMLElement | null)?.focus?.();
    }
  }, [state]);

  const close = () => store.composer.value = { open: false };
  // Closing (Esc, ✕, Cancel) keeps an unsent text as the draft.
  useEffect(() => {
    if (!state.open && phase.kind !== "sent") kept.current = hasText(values) ? values : null;
  }, [state.open]);
  const discard = () => {
    kept.current = null;
    setRestored(false);
    setValues({ ...EMPTY, to: state.to ?? "", subject: state.subject ?? "" });
    setTouched({});
    setPhase({ kind: "editing" });
  };

  useEffect(() => {
    if (phase.kind !== "sent") return;
    if (phase.left <= 0) {
      close();
      return;
    }
    const t = setTimeout(() => setPhase({ ...phase, left: phase.left - 1 }), 1000);
    return () => clearTimeout(t);
  }, [phase]);

  const errors = problems(values, to);
  const shown = (f: Field) => touched[f] ? errors[f] : undefined;
  const formError = phase.kind !== "error"
    ? null
    : phase.field
    ? errors[phase.field] ?? null
    : phase.words;
  const set = (f: Field) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement).value;
    setValues((v) => ({ ...v, [f]: value }));
  };
  const blur = (f: Field) => () => setTouched((t) => ({ ...t, [f]: true }));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (phase.kind === "sending") return;
    setTouched({ to: true, cc: true, bcc: true, subject: true, body: true });
    const first = (["to", "cc", "bcc", "subject", "body"] as Field[]).find((f) => errors[f]);
    if (first) {
      setPhase({ kind: "error", words: errors[first]!, field: first });
      dialog.current?.querySelector<HTMLElement>(`#email-${first}`)?.focus();
      return;
    }
    setPhase({ kind: "sending" });
    try {
      const sent = await api<{ conversation_id: string }>("/api/send_email", {
        method: "POST",
        idempotencyKey: crypto.randomUUID(),
        body: {
          to_email: to.address!,
          subject: values.subject.trim(),
          body: values.body,
          ...(values.cc.trim() ? { cc: values.cc.trim() } : {}),
          ...(values.bcc.trim() ? { bcc: values.bcc.trim() } : {}),
        },
      });
      kept.current = null;
      setRestored(false);
      setPhase({ kind: "sent", to: to.address!, left: CLOSE_AFTER_SECONDS });
      // The email's conversation opens behind the countdown: the reader sees it there next.
      void openConversation(store, sent.conversation_id);
      requestAnimationFrame(() =>
        dialog.current?.querySelector<HTMLElement>(".sent-close")?.focus()
      );
    } catch (err) {
      setPhase({ kind: "error", words: errorWords(err) });
    }
  };

  // Tab and Shift+Tab wrap around inside the dialog instead of reaching the browser's chrome.
  const trap = (e: KeyboardEvent) => {
    if (e.key !== "Tab" || !dialog.current) return;
    const items = Array.from(dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE))
      .filter((el) => el.offsetParent !== null);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const field = (f: Field, label: string, input: preact.JSX.Element) => (
    <div
      class={`field${shown(f) ? " has-error" : ""}${!errors[f] && values[f] ? " is-valid" : ""}`}
    >
      <label for={`email-${f}`}>{label}</label>
      <div class="field-control">
        {input}
        {!errors[f] && values[f] && f !== "body" && f !== "subject" && (
          <span class="field-ok" aria-hidden="true">
            <IconCheck size={14} />
          </span>
        )}
      </div>
      {shown(f) && <p class="callout field-error" id={`email-${f}-error`}>{shown(f)}</p>}
      {f === "to" && to.hint && !shown(f) && (
        <p class="callout callout-success field-hint" data-testid="email-to-hint">
          <IconCheck size={12} /> {to.hint}
        </p>
      )}
    </div>
  );
  const addressInput = (f: "to" | "cc" | "bcc", placeholder: string) => (
    <input
      id={`email-${f}`}
      type="text"
      inputMode="email"
      autocomplete="off"
      spellcheck={false}
      value={values[f]}
      placeholder={placeholder}
      aria-invalid={!!shown(f)}
      aria-describedby={shown(f) ? `email-${f}-error` : undefined}
      onInput={(e) => {
        set(f)(e);
        // Checked as typed: once an address looks finished (has "@x."), problems show at once.
        if (/@[^@]+\.[^@]{2,}/.test(e.currentTarget.value)) {
          setTouched((t) => ({ ...t, [f]: true }));
        }
      }}
      onBlur={blur(f)}
    />
  );

  return (
    <dialog
      ref={dialog}
      class="modal"
      aria-labelledby="email-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
      onKeyDown={trap}
    >
      <div class="modal-head">
        <h2 id="email-title">{state.reply ? "Reply" : "New email"}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={close}>
          <IconClose size={18} />
        </button>
      </div>
      {phase.kind === "sent"
        ? (
          <div class="sent" role="status">
            <span class="sent-icon">
              <IconCheck size={22} />
            </span>
            <h3>Email sent</h3>
            <p>
              Your email to <strong>{phase.to}</strong> is on its way.
            </p>
            <div class="countdown" aria-hidden="true">
              <span
                class="countdown-bar"
                style={{ animationDuration: `${CLOSE_AFTER_SECONDS}s` }}
              />
            </div>
            <p class="countdown-words" data-testid="countdown">
              Closing in {phase.left} {phase.left === 1 ? "second" : "seconds"}
            </p>
            <button type="button" class="button button-secondary sent-close" onClick={close}>
              Close now
            </button>
          </div>
        )
        : (
          <form class="modal-form" onSubmit={submit} noValidate>
            {restored && (
              <p class="callout callout-small draft-note" role="status">
                Your unsent draft, as you left it.{" "}
                <button type="button" class="link-button" onClick={discard}>
                  Discard draft
                </button>
              </p>
            )}
            {field("to", "To", addressInput("to", "Name, or customer@example.com"))}
            <div class="field-pair">
              {field("cc", "Cc", addressInput("cc", "Optional, comma-separated"))}
              {field("bcc", "Bcc", addressInput("bcc", "Optional, comma-separated"))}
            </div>
            {field(
              "subject",
              "Subject",
              <input
                id="email-subject"
                value={values.subject}
                placeholder="What is it about?"
                aria-invalid={!!shown("subject")}
                onInput={set("subject")}
                onBlur={blur("subject")}
              />,
            )}
            {field(
              "body",
              "Message",
              <textarea
                id="email-body"
                rows={8}
                value={values.body}
                placeholder="Write your email…"
                aria-invalid={!!shown("body")}
                onInput={set("body")}
                onBlur={blur("body")}
              />,
            )}
            {formError && (
              <p class="callout callout-boxed form-error" role="alert">
                <IconAlert size={16} /> {formError}
              </p>
            )}
            <div class="modal-actions">
              <span class="modal-hint" data-testid="email-from">
                {props.from ? <>From {props.from}</> : "Sent from your configured sender address"}
              </span>
              <button type="button" class="button button-ghost" onClick={close}>Cancel</button>
              <button
                type="submit"
                class="button button-primary"
                disabled={phase.kind === "sending"}
              >
                <IconSend size={15} /> {phase.kind === "sending" ? "Sending…" : "Send"}
              </button>
            </div>
          </form>
        )}
    </dialog>
  );
}
