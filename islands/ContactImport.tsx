// Import contacts from a CSV: pick the file, check which column holds what, add labels, and
// watch the progress bar; the report lists every row left out and why.
import { useEffect, useState } from "preact/hooks";
import type { ContactImport as Import } from "@/lib/contact_import/schemas.ts";
import { api, setCsrfToken } from "@/lib/client/api.ts";
import { useAction } from "@/lib/client/use_action.ts";
import { useHydrated } from "@/lib/settings/hydrated.ts";
import { FormError } from "@/components/FormError.tsx";

const FIELDS: [field: string, words: string, guess: RegExp][] = [
  ["phone", "Phone", /^(phone|phone.?number|mobile|cell|number|tel|telephone)$/i],
  ["email", "Email", /^(e-?mail|email.?address)$/i],
  ["name", "Full name", /^(name|full.?name|contact)$/i],
  ["first_name", "First name", /^first.?name$/i],
  ["last_name", "Last name", /^last.?name$/i],
];

/** The header row's cells (quotes understood), for the column choices. */
export function headerOf(csv: string): string[] {
  const line = csv.replace(/^\uFEFF/, "").split(/\r?\n/)[0] ?? "";
  const cells: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) {
      cells.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells.filter(Boolean);
}

/** The import island. */
export default function ContactImport(props: { csrfToken: string | null }) {
  setCsrfToken(props.csrfToken);
  const hydrated = useHydrated();
  const [csv, setCsv] = useState("");
  const [columns, setColumns] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [labels, setLabels] = useState("");
  const [job, setJob] = useState<Import | null>(null);
  const action = useAction();

  useEffect(() => {
    if (!job || job.state === "finished") return;
    const timer = setTimeout(async () => {
      const r = await api<{ import: Import }>(`/api/contact_imports/${job.id}`).catch(() => null);
      if (r) setJob(r.import);
    }, 500);
    return () => clearTimeout(timer);
  }, [job]);

  const pct = job ? Math.round((job.processed / Math.max(1, job.total)) * 100) : 0;
  return (
    <div class="contact-import" data-ready={hydrated ? "" : undefined}>
      <form
        class="broadcast-form"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(async () => {
            const chosen = Object.fromEntries(Object.entries(mapping).filter(([, v]) => v));
            const r = await api<{ import: Import }>("/api/contact_imports", {
              method: "POST",
              body: {
                csv,
                mapping: chosen,
                labels: labels.split(",").map((l) => l.trim()).filter(Boolean),
              },
            });
            setJob(r.import);
          });
        }}
      >
        <label>
          <span>CSV file</span>
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={async (e) => {
              const text = (await e.currentTarget.files?.[0]?.text()) ?? "";
              const cols = headerOf(text);
              setCsv(text);
              setColumns(cols);
              setMapping(Object.fromEntries(
                FIELDS.map(([f, , guess]) => [f, cols.find((c) => guess.test(c)) ?? ""]),
              ));
              setJob(null);
            }}
          />
        </label>
        {columns.length > 0 && (
          <fieldset class="import-mapping">
            <legend>Columns</legend>
            {FIELDS.map(([field, words]) => (
              <label key={field}>
                <span>{words}</span>
                <select
                  aria-label={words}
                  value={mapping[field] ?? ""}
                  onChange={(e) => setMapping({ ...mapping, [field]: e.currentTarget.value })}
                >
                  <option value="">(none)</option>
                  {columns.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              </label>
            ))}
          </fieldset>
        )}
        <label>
          <span>Labels for every imported contact (comma-separated)</span>
          <input
            value={labels}
            onInput={(e) => setLabels(e.currentTarget.value)}
            placeholder="vip, newsletter"
          />
        </label>
        <FormError error={action.error} />
        <div class="broadcast-actions">
          <button
            type="submit"
            class="button button-primary"
            disabled={!hydrated || !csv || action.busy}
          >
            Import contacts
          </button>
        </div>
      </form>
      {job && (
        <div class="import-report" data-testid="import-report" data-state={job.state}>
          <div
            class="progress-bar"
            role="progressbar"
            aria-label="Import progress"
            aria-valuenow={pct}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <span style={{ width: `${pct}%` }} />
          </div>
          <p>
            {job.processed} of {job.total} rows: {job.created} new, {job.merged}{" "}
            merged into existing contacts, {job.skipped.length} skipped
            {job.state === "finished" ? "." : "…"}
          </p>
          {job.skipped.length > 0 && (
            <ul class="import-skipped">
              {job.skipped.map((s) => <li key={s.row}>Row {s.row}: {s.reason}</li>)}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
