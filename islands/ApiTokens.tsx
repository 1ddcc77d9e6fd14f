// API tokens: the list (admins see everyone's, with the owner), a form to create one whose
// secret is shown once with a copy button, and revoking behind a confirmation.
import { useState } from "preact/hooks";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import type { ApiToken } from "@/lib/auth/tokens.ts";
import { api, setCsrfToken } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { ago, expiry, shortDate, tokenState } from "@/lib/settings/format.ts";
import { Modal, ModalActions } from "@/components/Modal.tsx";
import { IconCheck, IconCopy, IconKey, IconPlus } from "@/components/Icons.tsx";
import { FormError } from "@/components/FormError.tsx";

/** What the page gives the tokens card. */
export interface ApiTokensProps {
  tokens: ApiToken[];
  /** Admins: user id → email, to name each token's owner; null for agents (theirs only). */
  owners: Record<string, string> | null;
  csrfToken: string | null;
  timeZone: string;
  now: number;
}

const EXPIRY_CHOICES: [string, string][] = [
  ["", "Never"],
  ["7", "In 7 days"],
  ["30", "In 30 days"],
  ["90", "In 90 days"],
  ["365", "In a year"],
];

const STATE_WORDS = { active: "Active", revoked: "Revoked", expired: "Expired" };

function NewSecret(props: { token: string; name: string; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.token);
      setCopied("yes");
    } catch {
      // Clipboard access can be refused (permissions, plain HTTP): select it for Ctrl+C instead.
      const el = document.getElementById("new-token");
      if (el) getSelection()?.selectAllChildren(el);
      setCopied("no");
    }
  };
  return (
    <div class="secret" role="status">
      <p class="secret-title">
        <IconCheck size={16} /> Token “{props.name}” created
      </p>
      <p class="secret-warn">
        Copy it now and keep it somewhere safe: <strong>you won't see it again.</strong> Send it as
        {" "}
        <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <div class="secret-row">
        <code id="new-token" class="secret-value" data-testid="new-token">{props.token}</code>
        <button type="button" class="button button-primary" onClick={() => void copy()}>
          <IconCopy size={15} /> {copied === "yes" ? "Copied" : "Copy"}
        </button>
      </div>
      {copied === "no" && (
        <p class="muted small">The browser refused the clipboard: it is selected, press Ctrl+C.</p>
      )}
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={props.onDone}>
          I've saved it
        </button>
      </div>
    </div>
  );
}

function summary(tokens: ApiToken[], now: number, everyone: boolean): string {
  const active = tokens.filter((t) => tokenState(t, now) === "active").length;
  if (tokens.length === 0) return "Make one per script or service, so each can be revoked alone.";
  const words = `${active} active${
    tokens.length > active ? ` · ${tokens.length - active} revoked or expired` : ""
  }`;
  return everyone ? `${words} · everyone's tokens, as you are an admin` : words;
}

// Tokens that still work first, newest first within each group.
function ordered(tokens: ApiToken[], now: number): ApiToken[] {
  const live = (t: ApiToken) => (tokenState(t, now) === "active" ? 0 : 1);
  return [...tokens].sort((a, b) => live(a) - live(b) || b.created_at.localeCompare(a.created_at));
}

/** The API tokens island. */
export default function ApiTokens(props: ApiTokensProps) {
  const hydrated = useHydrated();
  setCsrfToken(props.csrfToken);
  const [tokens, setTokens] = useState(props.tokens);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [days, setDays] = useState("");
  const { busy, error, run } = useAction();
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);

  const create = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const res = await api<{ token: string; api_token: ApiToken }>("/api/tokens", {
        method: "POST",
        body: { name, ...(days ? { expires_in_days: Number(days) } : {}) },
      });
      setTokens([res.api_token, ...tokens]);
      setCreated({ token: res.token, name: res.api_token.name });
      setCreating(false);
      setName("");
      setDays("");
    });
  };

  const revoke = () => {
    if (!revoking) return;
    setRevokeError(null);
    void run(async () => {
      const res = await api<{ api_token: ApiToken }>(`/api/tokens/${revoking.id}`, {
        method: "DELETE",
      });
      setTokens(tokens.map((t) => (t.id === res.api_token.id ? res.api_token : t)));
      setRevoking(null);
    }, setRevokeError);
  };

  const { timeZone, now, owners } = props;
  return (
    <fieldset class="island tokens" disabled={!hydrated}>
      <div class="card-bar">
        <p class="muted">{summary(tokens, now, owners !== null)}</p>
        {!creating && (
          <button
            type="button"
            class="button button-primary"
            onClick={() => {
              setCreated(null);
              setCreating(true);
            }}
          >
            <IconPlus size={16} /> New token
          </button>
        )}
      </div>
      {created && (
        <NewSecret
          token={created.token}
          name={created.name}
          onDone={() => setCreated(null)}
        />
      )}
      {creating && (
        <form class="inline-form" onSubmit={create}>
          <div class="field">
            <label for="token-name">Name</label>
            <input
              id="token-name"
              value={name}
              maxLength={100}
              placeholder="e.g. Zapier, billing script"
              onInput={(e) => setName(e.currentTarget.value)}
              required
              autoFocus
            />
          </div>
          <div class="field">
            <label for="token-expiry">Expires</label>
            <select
              id="token-expiry"
              value={days}
              onChange={(e) => setDays(e.currentTarget.value)}
            >
              {EXPIRY_CHOICES.map(([v, words]) => <option key={v} value={v}>{words}</option>)}
            </select>
          </div>
          <div class="actions">
            <button type="button" class="button button-ghost" onClick={() => setCreating(false)}>
              Cancel
            </button>
            <button type="submit" class="button button-primary" disabled={busy || !name.trim()}>
              Create token
            </button>
          </div>
          <FormError error={error} />
        </form>
      )}
      {tokens.length === 0
        ? (
          <div class="empty">
            <IconKey size={22} />
            <p>No API tokens yet.</p>
          </div>
        )
        : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th>Name</th>
                  {owners && <th>Owner</th>}
                  <th>Created</th>
                  <th>Last used</th>
                  <th>Expires</th>
                  <th>Status</th>
                  <th class="sr-only-th">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {ordered(tokens, now).map((t) => {
                  const state = tokenState(t, now);
                  return (
                    <tr key={t.id} data-token={t.id} data-state={state}>
                      <td data-label="Name">
                        <span class="cell-main">{t.name}</span>
                        <code class="cell-sub">{t.prefix}…</code>
                      </td>
                      {owners && <td data-label="Owner">{owners[t.user_id] ?? "—"}</td>}
                      <td data-label="Created" title={t.created_at}>
                        {shortDate(t.created_at, timeZone)}
                      </td>
                      <td data-label="Last used">
                        {t.last_used_at ? ago(t.last_used_at, now, timeZone) : "Never"}
                      </td>
                      <td data-label="Expires">
                        {t.revoked ? "—" : expiry(t.expires_at, now, timeZone)}
                      </td>
                      <td data-label="Status">
                        <span class={`pill pill-${state}`}>{STATE_WORDS[state]}</span>
                      </td>
                      <td class="cell-actions">
                        {state === "active" && (
                          <button
                            type="button"
                            class="button button-ghost button-danger-text"
                            aria-label={`Revoke ${t.name}`}
                            onClick={() => {
                              setRevokeError(null);
                              setRevoking(t);
                            }}
                          >
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      <Modal
        open={revoking !== null}
        title="Revoke this token?"
        size="sm"
        onClose={() => setRevoking(null)}
      >
        <div class="modal-form">
          <p class="confirm-words">
            <strong>“{revoking?.name}”</strong> (<code>{revoking?.prefix}…</code>){" "}
            stops working at once: anything still using it gets “401 Unauthorized”. This cannot be
            undone.
          </p>
          <FormError error={revokeError} />
          <ModalActions
            onCancel={() => setRevoking(null)}
            busy={busy}
            danger
            onAction={revoke}
          >
            Revoke token
          </ModalActions>
        </div>
      </Modal>
    </fieldset>
  );
}
