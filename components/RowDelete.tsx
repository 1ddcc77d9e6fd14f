// A settings list row's "Delete": the row's resource goes, then the list is read again, so what
// the list shows is what the server kept.
import { type Action, deleteThenReload } from "@/lib/client/use_action.ts";

/** The row's Delete button; off until the island is hydrated and while `action` is busy. */
export function RowDelete(props: {
  action: Action;
  path: string;
  reload: () => Promise<unknown>;
  hydrated: boolean;
}) {
  return (
    <button
      type="button"
      class="button button-danger-text"
      disabled={!props.hydrated || props.action.busy}
      onClick={() => deleteThenReload(props.action, props.path, props.reload)}
    >
      Delete
    </button>
  );
}
