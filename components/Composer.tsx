// Where a message is written: Enter sends, Shift+Enter breaks the line, and for SMS a live
// counter shows characters, segments and encoding, warning when one character forces UCS-2.
import { useEffect, useRef, useState } from "preact/hooks";
import {
  countSms,
  hasReplaceableTypography,
  replaceTypography,
  type SmsCount,
} from "@/lib/shared/sms_segments.ts";
import { IconSend } from "./Icons.tsx";
import { SendLater } from "./SendLater.tsx";
import { SavedReplyMenu, useSavedReplies } from "./SavedReplyPicker.tsx";
import { unfilled } from "@/lib/shared/template.ts";

/** Twilio refuses bodies longer than this many characters. */
export const MAX_SMS_CHARS = 1600;

const NAMES: Record<string, string> = {
  "\u2018": "curly quote",
  "\u2019": "curly apostrophe",
  "\u201C": "curly quote",
  "\u201D": "curly quote",
  "\u2013": "en dash",
  "\u2014": "em dash",
  "\u2026": "ellipsis",
  "\u00A0": "non-breaking space",
};

function describe(ch: string): string {
  if (NAMES[ch]) return `${NAMES[ch]} ${ch}`;
  if (/\p{Extended_Pictographic}/u.test(ch)) return `emoji ${ch}`;
  const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return `${ch} (U+${code})`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The SMS counter line, with the UCS-2 warning when it applies. */
export function SmsCounter(props: { count: SmsCount; onFix?: () => void; fixable: boolean }) {
  const c = props.count;
  const limit = c.segments <= 1 ? c.perSegment : c.segments * c.perSegment;
  const tooLong = c.characters > MAX_SMS_CHARS;
  return (
    <div class="counter" aria-live="polite">
      {c.encoding === "UCS-2" && (
        <p class="callout callout-warning callout-small counter-warn">
          {capitalise(c.unicodeChars.slice(0, 3).map(describe).join(", "))}
          {c.unicodeChars.length > 3 ? ` and ${c.unicodeChars.length - 3} more` : ""}{" "}
          {c.unicodeChars.length === 1 ? "forces" : "force"}{" "}
          Unicode (UCS-2): 70 characters per segment instead of 160.
          {props.fixable && (
            <button type="button" class="link-button" onClick={props.onFix}>
              Use plain punctuation
            </button>
          )}
        </p>
      )}
      <p class={`counter-line${tooLong ? " is-over" : ""}`} data-testid="sms-counter">
        <span>
          {tooLong ? `Too long: ${c.characters} of ${MAX_SMS_CHARS} characters` : (
            <>
              <strong>{c.units}</strong>/{limit}
            </>
          )}
        </span>
        <span aria-hidden="true">·</span>
        <span>{c.segments === 1 ? "1 segment" : `${c.segments} segments`}</span>
        <span aria-hidden="true">·</span>
        <span class={c.encoding === "UCS-2" ? "enc-ucs2" : "enc-gsm"}>{c.encoding}</span>
      </p>
    </div>
  );
}

/** The message box under a thread. */
export function Composer(props: {
  channel: "sms" | "chat";
  placeholder: string;
  onSend: (text: string) => void;
  /** Why nothing can be sent here (the recipient opted out); shown in place of the placeholder. */
  disabled?: string;
  /** Offers "Send later" (texts): the text and the chosen instant. */
  onSchedule?: (text: string, sendAt: string) => void;
  timeZone?: string;
  /** Takes the focus once shown, then says so (the store's `focusComposer`). */
  autoFocus?: { onFocused: () => void };
  /** The contact's values for saved replies' variables; `/` offers the replies when given. */
  contact?: Record<string, string>;
  /** Team inbox: writes an internal note instead, when the composer is in note mode. */
  note?: {
    mode: "reply" | "note";
    setMode: (mode: "reply" | "note") => void;
    onNote: (text: string) => void;
    /** The reader typed (for presence). */
    onTyping: () => void;
    /** A reply begins, or ends (sent or emptied). */
    onDraft: (started: boolean) => void;
    /** Why to think twice before sending (someone else replied meanwhile), or null. */
    collision: () => string | null;
  };
}) {
  const [text, setText] = useState("");
  const [warning, setWarning] = useState<string | null>(null);
  const noting = props.note?.mode === "note";
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!props.autoFocus) return;
    area.current?.focus();
    props.autoFocus.onFocused();
  }, [props.autoFocus]);
  const replies = useSavedReplies({
    contact: props.contact ?? {},
    onInsert: (next, caret) => {
      update(next);
      requestAnimationFrame(() => area.current?.setSelectionRange(caret, caret));
    },
  });
  const count = props.channel === "sms" && text ? countSms(text) : null;
  const tooLong = !!count && count.characters > MAX_SMS_CHARS;
  const missing = unfilled(text);
  const canSend = text.trim().length > 0 &&
    (noting || (!tooLong && !props.disabled && !missing.length));

  const fit = () => {
    const el = area.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 168)}px`;
  };
  // The note's placeholder is longer than the reply's: the field grows to show all of it.
  useEffect(fit, [noting]);
  const update = (value: string) => {
    if (props.note && !noting && !text.trim() !== !value.trim()) props.note.onDraft(!!value.trim());
    setText(value);
    requestAnimationFrame(fit);
  };
  const submit = (anyway = false) => {
    if (!canSend) return;
    if (noting) props.note!.onNote(text);
    else {
      const warn = anyway ? null : props.note?.collision();
      if (warn) {
        setWarning(warn);
        return;
      }
      props.onSend(text);
    }
    setWarning(null);
    update("");
    area.current?.focus();
  };

  return (
    <form
      class={`composer${props.disabled && !noting ? " is-disabled" : ""}${
        noting ? " is-note" : ""
      }`}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {replies.open && (
        <SavedReplyMenu matches={replies.matches} active={replies.active} onPick={replies.insert} />
      )}
      {props.note && (
        <div class="compose-mode" role="tablist" aria-label="Write">
          {(["reply", "note"] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={props.note!.mode === m}
              class={`compose-tab${props.note!.mode === m ? " is-current" : ""}`}
              onClick={() => {
                props.note!.setMode(m);
                area.current?.focus();
              }}
            >
              {m === "reply" ? "Reply" : "Internal note"}
            </button>
          ))}
        </div>
      )}
      {warning && (
        <div class="callout callout-warning callout-small collision" role="alert">
          <span>{warning}. Send yours anyway?</span>
          <button type="button" class="link-button" onClick={() => submit(true)}>
            Send anyway
          </button>
          <button type="button" class="link-button" onClick={() => setWarning(null)}>
            Cancel
          </button>
        </div>
      )}
      <div class="composer-row">
        <label class="sr-only" for="composer-text">Message</label>
        <textarea
          id="composer-text"
          ref={area}
          rows={1}
          value={text}
          placeholder={noting
            ? "Internal note: only teammates see it; @name mentions one"
            : props.disabled ?? props.placeholder}
          disabled={!!props.disabled && !noting}
          onInput={(e) => {
            update(e.currentTarget.value);
            if (!noting) props.note?.onTyping();
            if (props.contact && !noting) {
              replies.typed(e.currentTarget.value, e.currentTarget.selectionStart ?? 0);
            }
          }}
          onKeyDown={(e) => {
            if (replies.key(e)) return;
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        {props.onSchedule && (
          <SendLater
            timeZone={props.timeZone ?? "UTC"}
            disabled={!canSend}
            onPick={(iso) => {
              props.onSchedule!(text, iso);
              update("");
            }}
          />
        )}
        <button
          type="submit"
          class="send-button"
          disabled={!canSend}
          aria-label={noting ? "Add note" : "Send message"}
          title={noting ? "Add note (Enter)" : "Send (Enter)"}
        >
          <IconSend size={18} />
        </button>
      </div>
      {missing.length > 0 && (
        <p
          class="callout callout-warning callout-small"
          role="alert"
          data-testid="missing-variables"
        >
          No value for {missing.map((m) => `{{${m}}}`).join(", ")}: write it in before sending
        </p>
      )}
      {count && !noting && (
        <SmsCounter
          count={count}
          fixable={hasReplaceableTypography(text)}
          onFix={() => update(replaceTypography(text))}
        />
      )}
    </form>
  );
}
