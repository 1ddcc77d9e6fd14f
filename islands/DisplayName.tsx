// One's own display name: what colleagues see on one's messages ("Lily: …") and in the sidebar.
import { useState } from "preact/hooks";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import { api, setCsrfToken } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { FormError } from "@/components/FormError.tsx";

/** What the page gives the name field. */
export interface DisplayNameProps {
  name: string;
  csrfToken: string | null;
}

/** The display name island. */
export default function DisplayName(props: DisplayNameProps) {
  const hydrated = useHydrated();
  if (props.csrfToken) setCsrfToken(props.csrfToken);
  const [saved, setSaved] = useState(props.name);
  const [text, setText] = useState(props.name);
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    void run(async () => {
      const res = await api<{ user: { name: string } }>("/api/me", {
        method: "PATCH",
        body: { name: text },
      });
      setSaved(res.user.name);
      setText(res.user.name);
      setDone(true);
    });
  };

  return (
    <form class="setting-row display-name" onSubmit={submit} data-testid="display-name">
      <div class="field">
        <label for="display-name" class="setting-title">Display name</label>
        <p class="muted" id="display-name-help">
          {done
            ? "Saved. Colleagues see it on your messages."
            : "What colleagues see on your messages and in the sidebar."}
        </p>
        <input
          id="display-name"
          name="name"
          value={text}
          maxLength={100}
          autocomplete="name"
          aria-describedby="display-name-help"
          disabled={!hydrated}
          onInput={(e) => {
            setText(e.currentTarget.value);
            setDone(false);
          }}
        />
        <FormError error={error} />
      </div>
      <button
        type="submit"
        class="button button-secondary"
        disabled={!hydrated || busy || text.trim() === saved}
      >
        Save name
      </button>
    </form>
  );
}
