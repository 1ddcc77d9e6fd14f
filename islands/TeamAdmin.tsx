// Admins' team inbox settings: the labels (create, rename, recolour, delete) and whether a reply
// to an unassigned conversation assigns it to whoever replied.
import { useState } from "preact/hooks";
import { api, setCsrfToken } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import type { Label } from "@/lib/shared/types.ts";
import { FormError } from "@/components/FormError.tsx";

/** What the page gives the team card. */
export interface TeamAdminProps {
  labels: Label[];
  autoAssign: boolean;
  csrfToken: string | null;
}

function LabelRow(props: {
  label: Label;
  busy: boolean;
  save: (change: { name?: string; color?: string }) => void;
  remove: () => void;
}) {
  const { label } = props;
  const [name, setName] = useState(label.name);
  return (
    <li class="label-admin-row" data-label={label.id}>
      <label class="sr-only" for={`color-${label.id}`}>Colour of {label.name}</label>
      <input
        id={`color-${label.id}`}
        type="color"
        value={label.color}
        onChange={(e) => props.save({ color: e.currentTarget.value })}
      />
      <form
        class="label-admin-name"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() && name !== label.name) props.save({ name: name.trim() });
        }}
      >
        <label class="sr-only" for={`name-${label.id}`}>Name of {label.name}</label>
        <input
          id={`name-${label.id}`}
          value={name}
          maxLength={40}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        {name !== label.name && (
          <button type="submit" class="button button-secondary" disabled={props.busy}>
            Rename
          </button>
        )}
      </form>
      <button
        type="button"
        class="button button-ghost"
        disabled={props.busy}
        aria-label={`Delete label ${label.name}`}
        onClick={props.remove}
      >
        Delete
      </button>
    </li>
  );
}

/** The team inbox settings island. */
export default function TeamAdmin(props: TeamAdminProps) {
  const hydrated = useHydrated();
  setCsrfToken(props.csrfToken);
  const [labels, setLabels] = useState(props.labels);
  const [autoAssign, setAutoAssign] = useState(props.autoAssign);
  const [name, setName] = useState("");
  const { busy, error, run } = useAction();

  const reload = async () => setLabels((await api<{ labels: Label[] }>("/api/labels")).labels);

  return (
    <div class="team-admin">
      <label class="check">
        <input
          type="checkbox"
          checked={autoAssign}
          disabled={!hydrated || busy}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            void run(async () => {
              await api("/api/team", { method: "PATCH", body: { auto_assign: on } });
              setAutoAssign(on);
            });
          }}
        />{" "}
        Replying to an unassigned conversation assigns it to whoever replied
      </label>
      <h3>Labels</h3>
      <ul class="label-admin">
        {labels.map((l) => (
          <LabelRow
            key={l.id}
            label={l}
            busy={busy || !hydrated}
            save={(change) =>
              void run(async () => {
                await api(`/api/labels/${l.id}`, { method: "PATCH", body: change });
                await reload();
              })}
            remove={() =>
              void run(async () => {
                await api(`/api/labels/${l.id}`, { method: "DELETE" });
                await reload();
              })}
          />
        ))}
        {!labels.length && <li class="muted">No labels yet.</li>}
      </ul>
      <form
        class="label-admin-new"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            await api("/api/labels", { method: "POST", body: { name } });
            setName("");
            await reload();
          });
        }}
      >
        <label for="new-label">New label</label>
        <input
          id="new-label"
          value={name}
          maxLength={40}
          placeholder="VIP, Refund, Wholesale…"
          disabled={!hydrated}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <button type="submit" class="button button-primary" disabled={!hydrated || busy}>
          Add label
        </button>
      </form>
      <FormError error={error} />
    </div>
  );
}
