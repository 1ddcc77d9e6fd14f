// Settings → Saved replies: the team's replies, added, changed and deleted here; the composer
// offers them when someone types `/`.
import { useState } from "preact/hooks";
import type { SavedReply } from "@/lib/saved_replies/schemas.ts";
import { api, setCsrfToken } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import { TEMPLATE_VARIABLES } from "@/lib/shared/template.ts";
import { FormError } from "@/components/FormError.tsx";
import { RowDelete } from "@/components/RowDelete.tsx";

/** The saved replies island. */
export default function SavedReplies(props: { replies: SavedReply[]; csrfToken: string | null }) {
  setCsrfToken(props.csrfToken);
  const hydrated = useHydrated();
  const [replies, setReplies] = useState(props.replies);
  const [editing, setEditing] = useState<string | null>(null);
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const action = useAction();
  const reload = async () => {
    const list = await api<{ saved_replies: SavedReply[] }>("/api/saved_replies");
    setReplies(list.saved_replies);
  };
  const edit = (r: SavedReply | null) => {
    setEditing(r ? r.id : "new");
    setTitle(r?.title ?? "");
    setBody(r?.body ?? "");
    action.setError(null);
  };
  return (
    <div class="saved-replies">
      <ul class="saved-reply-list">
        {replies.map((r) => (
          <li key={r.id} data-reply={r.title}>
            <div>
              <strong>/{r.title}</strong>
              <p class="muted">{r.body}</p>
            </div>
            <div class="row-actions">
              <button type="button" class="button button-ghost" onClick={() => edit(r)}>
                Edit
              </button>
              <RowDelete
                action={action}
                path={`/api/saved_replies/${r.id}`}
                reload={reload}
                hydrated={hydrated}
              />
            </div>
          </li>
        ))}
        {replies.length === 0 && <li class="muted">No saved replies yet.</li>}
      </ul>
      {editing
        ? (
          <form
            class="saved-reply-form"
            onSubmit={(e) => {
              e.preventDefault();
              action.run(async () => {
                const isNew = editing === "new";
                await api(isNew ? "/api/saved_replies" : `/api/saved_replies/${editing}`, {
                  method: isNew ? "POST" : "PATCH",
                  body: { title, body },
                });
                setEditing(null);
                await reload();
              });
            }}
          >
            <label>
              <span>Title (type / and its first letters in the composer)</span>
              <input value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
            </label>
            <label>
              <span>Reply</span>
              <textarea rows={3} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
            </label>
            <p class="muted small">
              Variables: {Object.keys(TEMPLATE_VARIABLES).map((v) => `{{${v}}}`).join(", ")}
            </p>
            <FormError error={action.error} />
            <div class="row-actions">
              <button type="submit" class="button button-primary" disabled={action.busy}>
                Save reply
              </button>
              <button type="button" class="button button-ghost" onClick={() => setEditing(null)}>
                Cancel
              </button>
            </div>
          </form>
        )
        : (
          <>
            <FormError error={action.error} />
            <button
              type="button"
              class="button button-secondary"
              disabled={!hydrated}
              onClick={() => edit(null)}
            >
              New saved reply
            </button>
          </>
        )}
    </div>
  );
}
