// The audit log for admins: newest first, filtered by action, older pages loaded on demand.
// Everything in it (actors, targets, details) came from outside at some point, so it is shown
// as text only.
import { useState } from "preact/hooks";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import type { AuditEntry } from "@/lib/auth/audit.ts";
import { api, query } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import {
  actionLabel,
  actionTone,
  AUDIT_ACTIONS,
  auditTime,
  detailLine,
} from "@/lib/settings/format.ts";
import { IconHistory } from "@/components/Icons.tsx";
import { FormError } from "@/components/FormError.tsx";

/** How many entries a page holds, on the server's first render and each "load older". */
export const AUDIT_PAGE = 25;

/** What the page gives the audit log. */
export interface AuditLogProps {
  entries: AuditEntry[];
  nextBefore: number | null;
  timeZone: string;
}

type Page = { entries: AuditEntry[]; next_before: number | null };

/** The audit log island. */
export default function AuditLog(props: AuditLogProps) {
  const hydrated = useHydrated();
  const [entries, setEntries] = useState(props.entries);
  const [nextBefore, setNextBefore] = useState(props.nextBefore);
  const [action, setAction] = useState("");
  const { busy: loading, error, run } = useAction();

  const load = (filter: string, before: number | null) =>
    run(async () => {
      const page = await api<Page>(
        `/api/audit${query({ limit: AUDIT_PAGE, action: filter, before })}`,
      );
      setEntries((old) => (before === null ? page.entries : [...old, ...page.entries]));
      setNextBefore(page.next_before);
    });

  return (
    <fieldset class="island audit" disabled={!hydrated}>
      <div class="card-bar">
        <div class="field field-inline">
          <label for="audit-action">Show</label>
          <select
            id="audit-action"
            value={action}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setAction(next);
              void load(next, null);
            }}
          >
            <option value="">All activity</option>
            {AUDIT_ACTIONS.map((g) => (
              <optgroup key={g.group} label={g.group}>
                {g.actions.map(([value, words]) => (
                  <option key={value} value={value}>{words}</option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        {loading && <span class="spinner" aria-label="Loading" />}
      </div>
      <FormError error={error} />
      {entries.length === 0
        ? (
          <div class="empty">
            <IconHistory size={22} />
            <p>{action ? `No “${actionLabel(action)}” entries.` : "Nothing recorded yet."}</p>
          </div>
        )
        : (
          <div class="table-wrap">
            <table class="table audit-table">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Action</th>
                  <th>Actor</th>
                  <th>Target</th>
                  <th>IP address</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => {
                  const detail = detailLine(e.detail);
                  return (
                    <tr key={e.id} data-audit={e.id} data-action={e.action}>
                      <td data-label="Time" class="nowrap" title={e.at}>
                        {auditTime(e.at, props.timeZone)}
                      </td>
                      <td data-label="Action">
                        <span class={`pill pill-${actionTone(e.action)}`} title={e.action}>
                          {actionLabel(e.action)}
                        </span>
                        {detail && <span class="cell-sub">{detail}</span>}
                      </td>
                      <td data-label="Actor" class="audit-actor">{e.actor}</td>
                      <td data-label="Target" class="audit-target">{e.target ?? "—"}</td>
                      <td data-label="IP address" class="mono">{e.ip ?? "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      <div class="table-foot">
        {nextBefore !== null
          ? (
            <button
              type="button"
              class="button button-secondary"
              disabled={loading}
              onClick={() => void load(action, nextBefore)}
            >
              Load older
            </button>
          )
          : entries.length > 0 && <span class="muted small">The beginning of the log</span>}
      </div>
    </fieldset>
  );
}
