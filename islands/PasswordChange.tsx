// Changing one's own password: the current one, the new one twice; other sessions end.
import { useState } from "preact/hooks";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import { api, ApiError, setCsrfToken } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { FormError } from "@/components/FormError.tsx";

/** What the page gives the password card. */
export interface PasswordChangeProps {
  csrfToken: string | null;
}

/** The password card island. */
export default function PasswordChange(props: PasswordChangeProps) {
  const hydrated = useHydrated();
  const [open, setOpen] = useState(false);
  const { busy, error, setError, run } = useAction({
    words: (e) => e instanceof ApiError ? e.message : "Could not change the password",
  });
  const [done, setDone] = useState(false);
  if (props.csrfToken) setCsrfToken(props.csrfToken);

  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const current = String(form.get("current") ?? "");
    const next = String(form.get("next") ?? "");
    if (next !== String(form.get("again") ?? "")) {
      setError("The new passwords do not match");
      return;
    }
    await run(async () => {
      await api("/api/me/password", {
        method: "PUT",
        body: { current_password: current, new_password: next },
      });
      setDone(true);
      setOpen(false);
    });
  }

  return (
    <div class="setting-row">
      <div>
        <p class="setting-title">Password</p>
        <p class="muted">
          {done
            ? "Changed. Your other sessions were signed out."
            : "8 to 128 characters, not one from breach lists."}
        </p>
        {open && (
          <form class="password-form" onSubmit={submit} data-testid="password-form">
            <div class="field">
              <label for="pw-current">Current password</label>
              <input
                id="pw-current"
                name="current"
                type="password"
                autocomplete="current-password"
                required
              />
            </div>
            <div class="field">
              <label for="pw-next">New password</label>
              <input
                id="pw-next"
                name="next"
                type="password"
                autocomplete="new-password"
                minLength={8}
                required
              />
            </div>
            <div class="field">
              <label for="pw-again">New password again</label>
              <input
                id="pw-again"
                name="again"
                type="password"
                autocomplete="new-password"
                minLength={8}
                required
              />
            </div>
            <FormError error={error} />
            <div class="actions">
              <button type="submit" class="button button-primary" disabled={busy}>
                Change password
              </button>
              <button type="button" class="button button-ghost" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
          </form>
        )}
      </div>
      {!open && (
        <button
          type="button"
          class="button button-secondary"
          disabled={!hydrated}
          onClick={() => setOpen(true)}
        >
          Change
        </button>
      )}
    </div>
  );
}
