// Broadcasts: write one text, choose who gets it (a contact label or a CSV), preview the count,
// segments and cost, start it, and watch each broadcast's progress live (the event stream wakes
// a refetch); pause, resume or cancel mid-way.
import { useEffect, useState } from "preact/hooks";
import type { Broadcast, BroadcastPreview } from "@/lib/broadcasts/schemas.ts";
import { api, setCsrfToken } from "@/lib/client/api.ts";
import { followStream } from "@/lib/client/event_stream.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import { fullTime } from "@/lib/shared/time.ts";
import { FormError } from "@/components/FormError.tsx";

/** What the page gives the island. */
export interface BroadcastsProps {
  broadcasts: Broadcast[];
  csrfToken: string | null;
  timeZone: string;
  /** The event id the live stream starts after. */
  after: string;
}

type Source = "label" | "csv";

function Progress(props: { b: Broadcast }) {
  const p = props.b.progress;
  const going = p.total - p.skipped - p.canceled;
  const done = p.sent + p.delivered + p.failed;
  const pct = going ? Math.round((done / going) * 100) : 100;
  const facts: [string, number][] = [
    ["Waiting", p.pending + p.queued],
    ["Sent", p.sent],
    ["Delivered", p.delivered],
    ["Failed", p.failed],
    ["Replied", p.replied],
    ["Skipped", p.skipped],
  ];
  return (
    <div class="broadcast-progress">
      <div
        class="progress-bar"
        role="progressbar"
        aria-valuenow={pct}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label={`${props.b.name}: ${pct}% handed over`}
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      <dl class="broadcast-facts">
        {facts.map(([k, v]) => (
          <div key={k} data-fact={k.toLowerCase()}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {Object.keys(props.b.skipped).length > 0 && (
        <p class="muted small">
          Skipped:{" "}
          {Object.entries(props.b.skipped).map(([why, n]) => `${n} ${why.replaceAll("_", " ")}`)
            .join(", ")}
        </p>
      )}
    </div>
  );
}

/** The broadcasts island. */
export default function Broadcasts(props: BroadcastsProps) {
  setCsrfToken(props.csrfToken);
  const hydrated = useHydrated();
  const [list, setList] = useState(props.broadcasts);
  const [name, setName] = useState("");
  const [body, setBody] = useState("");
  const [source, setSource] = useState<Source>("label");
  const [label, setLabel] = useState("");
  const [csv, setCsv] = useState("");
  const [preview, setPreview] = useState<BroadcastPreview | null>(null);
  const action = useAction();
  const control = useAction();

  const input = () => ({
    name: name || "Untitled broadcast",
    body,
    recipients: source === "label" ? { label } : { csv },
  });
  const refresh = async () => {
    const answer = await api<{ broadcasts: Broadcast[] }>("/api/broadcasts");
    setList(answer.broadcasts);
  };

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Many texts change at once: one refetch per moment, not one per event.
    const soon = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        refresh().catch(() => {});
      }, 300);
    };
    const stop = followStream(props.after, {
      event: (type) => type === "message_update" && soon(),
      state: () => {},
      resumed: soon,
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, []);
  // A broadcast's own state (finished) changes without a text changing: look again now and then
  // while one is under way.
  const underWay = list.some((b) => b.state === "running");
  useEffect(() => {
    if (!underWay) return;
    const every = setInterval(() => refresh().catch(() => {}), 2_000);
    return () => clearInterval(every);
  }, [underWay]);

  return (
    <div class="broadcasts" data-ready={hydrated ? "" : undefined}>
      <form
        class="broadcast-form"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(async () => {
            await api("/api/broadcasts", { method: "POST", body: input() });
            setPreview(null);
            setBody("");
            await refresh();
          });
        }}
      >
        <label>
          <span>Name</span>
          <input
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            placeholder="Spring sale"
          />
        </label>
        <label>
          <span>Message</span>
          <textarea
            rows={3}
            value={body}
            onInput={(e) => {
              setBody(e.currentTarget.value);
              setPreview(null);
            }}
            placeholder="Hi {{contact.first_name}}, …"
          />
        </label>
        <fieldset class="broadcast-source">
          <legend>Recipients</legend>
          <label>
            <input type="radio" checked={source === "label"} onChange={() => setSource("label")} />
            Contacts with a label
          </label>
          <label>
            <input type="radio" checked={source === "csv"} onChange={() => setSource("csv")} />
            A CSV file (a phone column; name or first_name optional)
          </label>
          {source === "label"
            ? (
              <input
                aria-label="Label"
                value={label}
                onInput={(e) => {
                  setLabel(e.currentTarget.value);
                  setPreview(null);
                }}
                placeholder="vip"
              />
            )
            : (
              <input
                type="file"
                accept=".csv,text/csv"
                aria-label="CSV file"
                onChange={async (e) => {
                  const file = e.currentTarget.files?.[0];
                  setCsv(file ? await file.text() : "");
                  setPreview(null);
                }}
              />
            )}
        </fieldset>
        {preview && (
          <div class="broadcast-preview" data-testid="broadcast-preview">
            <p>
              <strong>{preview.recipients}</strong> texts, {preview.segments} segment
              {preview.segments === 1 ? "" : "s"} each ({preview.encoding}), about $
              {preview.cost_total.toFixed(2)} (${preview.cost_per_message.toFixed(4)} each).
            </p>
            <p class="muted">
              Skipped: {preview.skipped_opted_out} opted out, {preview.skipped_invalid}{" "}
              without a valid number, {preview.skipped_duplicate} duplicates.
            </p>
            {preview.missing_variables.length > 0 && (
              <p class="callout callout-warning callout-small">
                Some recipients have no value for{" "}
                {preview.missing_variables.join(", ")}: it will be left blank for them.
              </p>
            )}
            {preview.unknown_variables.length > 0 && (
              <p class="callout callout-warning callout-small">
                Unknown variable {preview.unknown_variables.join(", ")}: check its spelling.
              </p>
            )}
            <p class="broadcast-sample">{preview.sample}</p>
          </div>
        )}
        <FormError error={action.error} />
        <div class="broadcast-actions">
          <button
            type="button"
            class="button button-secondary"
            disabled={!hydrated || action.busy || !body.trim()}
            onClick={() =>
              action.run(async () =>
                setPreview(
                  await api<BroadcastPreview>("/api/broadcasts/preview", {
                    method: "POST",
                    body: input(),
                  }),
                )
              )}
          >
            Preview
          </button>
          <button
            type="submit"
            class="button button-primary"
            disabled={!hydrated || action.busy || !preview || preview.recipients === 0}
          >
            Start broadcast
          </button>
        </div>
      </form>

      <FormError error={control.error} />
      <ul class="broadcast-list">
        {list.map((b) => (
          <li key={b.id} class="broadcast" data-broadcast={b.id} data-state={b.state}>
            <header class="broadcast-head">
              <strong>{b.name}</strong>
              <span class={`pill pill-plain state-${b.state}`} data-testid="broadcast-state">
                {b.state}
              </span>
              <span class="muted small">{fullTime(b.created_at, props.timeZone)}</span>
            </header>
            <p class="broadcast-body">{b.body}</p>
            <Progress b={b} />
            <div class="broadcast-actions">
              {(["pause", "resume", "cancel"] as const).filter((a) =>
                a === "pause"
                  ? b.state === "running"
                  : a === "resume"
                  ? b.state === "paused"
                  : b.state === "running" || b.state === "paused"
              ).map((a) => (
                <button
                  key={a}
                  type="button"
                  class="button button-ghost"
                  disabled={!hydrated || control.busy}
                  onClick={() =>
                    control.run(async () => {
                      await api(`/api/broadcasts/${b.id}/control`, {
                        method: "POST",
                        body: { action: a },
                      });
                      await refresh();
                    })}
                >
                  {a === "pause" ? "Pause" : a === "resume" ? "Resume" : "Cancel"}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
