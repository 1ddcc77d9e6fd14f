// An email conversation as a reading pane: each email with its headers, status and body.
// HTML bodies render in an iframe sandboxed with no permissions at all (no scripts, no
// same-origin, no forms, no popups); text bodies are plain text.
import { type Email, STATUS_WORDS } from "@/lib/shared/types.ts";
import { fullTime } from "@/lib/shared/time.ts";
import { senderWords } from "@/lib/shared/sender.ts";
import { Avatar } from "./Avatar.tsx";
import { IconAlert } from "./Icons.tsx";

// Given to the sandboxed document ahead of the sender's HTML: a readable default face, and a
// policy that loads no scripts, frames or fonts from elsewhere, only images.
const FRAME_HEAD = '<meta charset="utf-8">' +
  '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; ' +
  "img-src https: http: data: cid:; style-src 'unsafe-inline'\">" +
  "<style>html{color-scheme:light}body{margin:16px;font:15px/1.55 system-ui,sans-serif;" +
  "color:#1f2328;background:#fff;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style>";

/** A first height for an email's frame, guessed from its text (a sandbox with no permissions cannot be measured); the reader can drag it taller. */
export function frameHeight(html: string): number {
  const text = html.replace(/<style[\s\S]*?<\/style>/gi, "").replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
  const blocks = (html.match(/<(p|br|div|h\d|li|tr|table)\b/gi) ?? []).length;
  const estimate = 64 + blocks * 26 + Math.ceil(text.length / 80) * 24;
  return Math.max(160, Math.min(720, estimate));
}

/** The document an email's HTML is shown as, inside the sandbox. */
export function emailFrameDoc(html: string): string {
  return FRAME_HEAD + html;
}

function Addresses(props: { label: string; list: string | null }) {
  if (!props.list) return null;
  return (
    <div class="email-addr">
      <span class="email-addr-label">{props.label}</span>
      <span>{props.list.split(/\s*[,;]\s*/).filter(Boolean).join(", ")}</span>
    </div>
  );
}

/** One email, headers first; `names` maps addresses to the names to show for them. */
export function EmailCard(
  props: { email: Email; timeZone: string; names: Record<string, string>; me: string | null },
) {
  const e = props.email;
  const fromName = props.names[e.from_email];
  const failed = e.status === "failed" || e.status === "undelivered";
  return (
    <article class={`email-card${failed ? " is-failed" : ""}`} data-email={e.id}>
      <header class="email-head">
        <Avatar label={fromName ?? e.from_email} address={e.from_email} size="md" />
        <div class="email-who">
          <div class="email-from">
            <strong>{fromName ?? e.from_email}</strong>
            {fromName && <span class="email-from-address">{e.from_email}</span>}
            {e.direction === "outbound" && (
              <span class="chip email-sender">{senderWords(e.sent_by, props.me)}</span>
            )}
          </div>
          <Addresses label="To" list={e.to_email} />
          <Addresses label="Cc" list={e.cc} />
          <Addresses label="Bcc" list={e.bcc} />
        </div>
        <div class="email-meta">
          <time dateTime={e.timestamp}>{fullTime(e.timestamp, props.timeZone)}</time>
          <span class={`chip status-chip status-${e.status}`} data-status={e.status}>
            {STATUS_WORDS[e.status] ?? e.status}
          </span>
        </div>
      </header>
      <h3 class="email-subject">{e.subject || "(no subject)"}</h3>
      {failed && (
        <p class="callout callout-small msg-error" role="alert">
          <IconAlert size={14} />
          <span>
            Failed: {e.error_message ?? "the provider gave no reason"}
            {e.error_code ? ` (${e.error_code})` : ""}
          </span>
        </p>
      )}
      {e.html_content
        ? (
          <iframe
            class="email-frame"
            style={{ height: `${frameHeight(e.html_content)}px` }}
            sandbox=""
            srcdoc={emailFrameDoc(e.html_content)}
            title={`Email: ${e.subject}`}
            referrerpolicy="no-referrer"
            loading="lazy"
          />
        )
        : <div class="email-text">{e.body}</div>}
    </article>
  );
}
