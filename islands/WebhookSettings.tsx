// Settings → Webhooks (admins): endpoints subscribed to events, their secrets (shown once, on
// creation and rotation), and each one's delivery log with the answers and "Send again".
import { useState } from "preact/hooks";
import type { WebhookDelivery, WebhookEndpoint } from "@/lib/webhooks/schemas.ts";
import { api, setCsrfToken } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import { fullTime } from "@/lib/shared/time.ts";
import { FormError } from "@/components/FormError.tsx";
import { RowDelete } from "@/components/RowDelete.tsx";

const EVENTS = [
  "message.received",
  "message.status",
  "email.received",
  "email.status",
  "broadcast.finished",
  "conversation.assigned",
  "conversation.closed",
];

function Deliveries(props: { endpoint: string; timeZone: string }) {
  const [rows, setRows] = useState<WebhookDelivery[] | null>(null);
  const action = useAction();
  const load = () =>
    action.run(async () => {
      const answer = await api<{ deliveries: WebhookDelivery[] }>(
        `/api/webhooks/${props.endpoint}/deliveries`,
      );
      setRows(answer.deliveries);
    });
  if (!rows) {
    return (
      <button type="button" class="button button-ghost" onClick={load} disabled={action.busy}>
        Delivery log
      </button>
    );
  }
  return (
    <div class="webhook-log">
      <FormError error={action.error} />
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Event</th>
            <th>State</th>
            <th>Tries</th>
            <th>Answer</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-delivery={d.id}>
              <td>{fullTime(d.last_attempt_at ?? d.created_at, props.timeZone)}</td>
              <td>{d.event_type}</td>
              <td>{d.state}</td>
              <td>{d.attempts}</td>
              <td>
                {d.response_status ?? d.error ?? "—"}
                {d.response_body
                  ? <span class="muted">{` ${d.response_body.slice(0, 80)}`}</span>
                  : null}
              </td>
              <td>
                <button
                  type="button"
                  class="link-button"
                  onClick={() =>
                    action.run(async () => {
                      await api(`/api/webhook_deliveries/${d.id}/resend`, {
                        method: "POST",
                        body: {},
                      });
                      await load();
                    })}
                >
                  Send again
                </button>
              </td>
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={6} class="muted">Nothing delivered yet.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The webhooks island. */
export default function WebhookSettings(props: {
  endpoints: WebhookEndpoint[];
  csrfToken: string | null;
  timeZone: string;
}) {
  setCsrfToken(props.csrfToken);
  const hydrated = useHydrated();
  const [endpoints, setEndpoints] = useState(props.endpoints);
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<string[]>(["message.received"]);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const action = useAction();
  const reload = async () =>
    setEndpoints((await api<{ webhooks: WebhookEndpoint[] }>("/api/webhooks")).webhooks);
  return (
    <div class="webhooks" data-ready={hydrated ? "" : undefined}>
      {secret && (
        <p class="callout callout-success callout-boxed" data-testid="webhook-secret">
          Signing secret for {secret.url} (shown once): <code>{secret.secret}</code>
        </p>
      )}
      <ul class="saved-reply-list">
        {endpoints.map((e) => (
          <li key={e.id} data-webhook={e.url}>
            <div>
              <strong>{e.url}</strong>
              <p class="muted">
                {e.events.join(", ")}
                {e.disabled_at ? ` · disabled: ${e.disabled_reason ?? ""}` : ""}
                {e.failing_since && !e.disabled_at
                  ? ` · failing since ${fullTime(e.failing_since, props.timeZone)}`
                  : ""}
              </p>
              <Deliveries endpoint={e.id} timeZone={props.timeZone} />
            </div>
            <div class="row-actions">
              <button
                type="button"
                class="button button-ghost"
                disabled={!hydrated || action.busy}
                onClick={() =>
                  action.run(async () => {
                    const r = await api<{ secret: string }>(`/api/webhooks/${e.id}/rotate`, {
                      method: "POST",
                      body: {},
                    });
                    setSecret({ url: e.url, secret: r.secret });
                    await reload();
                  })}
              >
                Rotate secret
              </button>
              <button
                type="button"
                class="button button-ghost"
                disabled={!hydrated || action.busy}
                onClick={() =>
                  action.run(async () => {
                    await api(`/api/webhooks/${e.id}`, {
                      method: "PATCH",
                      body: { enabled: !!e.disabled_at },
                    });
                    await reload();
                  })}
              >
                {e.disabled_at ? "Enable" : "Disable"}
              </button>
              <RowDelete
                action={action}
                path={`/api/webhooks/${e.id}`}
                reload={reload}
                hydrated={hydrated}
              />
            </div>
          </li>
        ))}
      </ul>
      <form
        class="saved-reply-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          action.run(async () => {
            const r = await api<{ secret: string }>("/api/webhooks", {
              method: "POST",
              body: { url, events },
            });
            setSecret({ url, secret: r.secret });
            setUrl("");
            await reload();
          });
        }}
      >
        <label>
          <span>Endpoint URL</span>
          <input
            value={url}
            placeholder="https://example.com/hatch"
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </label>
        <fieldset class="webhook-events">
          <legend>Events</legend>
          {EVENTS.map((name) => (
            <label key={name}>
              <input
                type="checkbox"
                checked={events.includes(name)}
                onChange={(e) =>
                  setEvents(
                    e.currentTarget.checked ? [...events, name] : events.filter((x) => x !== name),
                  )}
              />
              {name}
            </label>
          ))}
        </fieldset>
        <FormError error={action.error} />
        <div class="row-actions">
          <button type="submit" class="button button-primary" disabled={!hydrated || action.busy}>
            Add endpoint
          </button>
        </div>
      </form>
    </div>
  );
}
