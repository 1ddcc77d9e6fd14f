// Contact import from CSV: columns mapped (or guessed), numbers normalised, rows that match an
// existing contact merged into it, labels assigned, every skipped row reported with its reason.
import type { Sql, Tx } from "@/lib/db/connect.ts";
import type { Settings } from "@/lib/config.ts";
import { BadRequestError, NotFoundError } from "@/lib/errors.ts";
import { type Actor, audit } from "@/lib/auth/audit.ts";
import { addJob } from "@/lib/delivery/jobs.ts";
import { isEmail, toE164 } from "@/lib/messages/address.ts";
import { readCsv } from "@/lib/broadcasts/audience.ts";
import type { ContactImport, ImportInput } from "./schemas.ts";

const GUESS: Record<string, RegExp> = {
  phone: /^(phone|phone.?number|mobile|cell|number|tel|telephone)$/i,
  email: /^(e-?mail|email.?address)$/i,
  name: /^(name|full.?name|contact)$/i,
  first_name: /^first.?name$/i,
  last_name: /^last.?name$/i,
};
/** Rows one job turn imports before it records progress and comes back. */
const BATCH = 200;

// deno-lint-ignore no-explicit-any -- a contact_imports row
function toImport(r: Record<string, any>): ContactImport {
  return {
    id: r.id,
    state: r.state,
    total: r.total,
    processed: r.processed,
    created: r.created,
    merged: r.merged,
    skipped: r.skipped,
    labels: r.labels,
    mapping: r.mapping,
  };
}

/** Reads the CSV, checks the mapping against its columns and queues the import. */
export async function startImport(
  sql: Sql,
  input: ImportInput,
  actor: Actor,
): Promise<ContactImport> {
  const { rows, columns } = readCsv(input.csv);
  const mapping: Record<string, string> = {};
  for (const [field, pattern] of Object.entries(GUESS)) {
    const given = (input.mapping as Record<string, string | undefined> | undefined)?.[field];
    if (given && !columns.includes(given)) {
      throw new BadRequestError(
        `mapping.${field}: the CSV has no column "${given}" (its columns: ${columns.join(", ")})`,
      );
    }
    const found = given ?? columns.find((c) => pattern.test(c));
    if (found) mapping[field] = found;
  }
  if (!mapping.phone && !mapping.email) {
    throw new BadRequestError(
      `The CSV has no phone or email column: map one (its columns: ${
        columns.join(", ") || "none"
      })`,
    );
  }
  return await sql.begin(async (tx) => {
    const [row] = await tx`
      insert into contact_imports (state, rows, mapping, labels, total, created_by)
      values ('running', ${tx.json(rows as never)}, ${tx.json(mapping)}, ${input.labels ?? []},
        ${rows.length}, ${actor.userId ?? null})
      returning *`;
    await addJob(tx, "contact_import", { import_id: row.id as string }, {
      jobKey: `import:${row.id}`,
      queue: `import:${row.id}`,
    });
    await audit(tx, actor, "contacts.import_started", { detail: { rows: rows.length } });
    return toImport(row);
  });
}

/** An import's progress and report. */
export async function getImport(sql: Tx, id: string): Promise<ContactImport> {
  const [row] = await sql`
    select id, state, total, processed, created, merged, skipped, labels, mapping
    from contact_imports where id = ${id}`;
  if (!row) throw new NotFoundError(`Import "${id}" not found`);
  return toImport(row);
}

// One row: the contact it creates or merges into, or the reason it is skipped.
async function importRow(
  tx: Tx,
  settings: Settings,
  options: { row: Record<string, string>; mapping: Record<string, string>; labels: string[] },
): Promise<"created" | "merged" | string> {
  const get = (field: string) =>
    options.mapping[field] ? options.row[options.mapping[field]] ?? "" : "";
  const rawPhone = get("phone").trim();
  const rawEmail = get("email").trim().toLowerCase();
  let phone: string | null = null;
  if (rawPhone) {
    try {
      phone = toE164(rawPhone, settings.HATCH_DEFAULT_COUNTRY);
    } catch {
      return `"${rawPhone}" is not a valid phone number`;
    }
  }
  const email = rawEmail && isEmail(rawEmail) ? rawEmail : null;
  if (rawEmail && !email) return `"${rawEmail}" is not a valid email address`;
  if (!phone && !email) return "no phone number or email";
  const name = (get("name") || [get("first_name"), get("last_name")].filter(Boolean).join(" "))
    .trim().slice(0, 200) || phone || email!;
  const [byPhone] = phone
    ? await tx`select contact_id from contact_phones where phone = ${phone}`
    : [];
  const [byEmail] = email
    ? await tx`select contact_id from contact_emails where email = ${email}`
    : [];
  if (byPhone && byEmail && byPhone.contact_id !== byEmail.contact_id) {
    return `${phone} and ${email} belong to two different contacts`;
  }
  let id = (byPhone ?? byEmail)?.contact_id as string | undefined;
  const merged = Boolean(id);
  if (!id) {
    const [c] = await tx`insert into contacts (name) values (${name}) returning id`;
    id = c.id as string;
  }
  if (phone && !byPhone) {
    await tx`insert into contact_phones (phone, contact_id) values (${phone}, ${id})`;
  }
  if (email && !byEmail) {
    await tx`insert into contact_emails (email, contact_id) values (${email}, ${id})`;
  }
  for (const label of options.labels) {
    await tx`
      insert into contact_labels (contact_id, label) values (${id}, ${label})
      on conflict do nothing`;
  }
  return merged ? "merged" : "created";
}

/** Imports the next batch of rows; queues itself again until every row is done. */
export async function runImport(sql: Sql, settings: Settings, id: string): Promise<void> {
  const [imp] = await sql`select * from contact_imports where id = ${id} and state = 'running'`;
  if (!imp) return;
  const rows = (imp.rows as Record<string, string>[]).slice(imp.processed, imp.processed + BATCH);
  const counts = { created: 0, merged: 0 };
  const skipped: { row: number; reason: string }[] = [];
  for (const [i, row] of rows.entries()) {
    const number = imp.processed + i + 2;
    try {
      const outcome = await sql.begin((tx) =>
        importRow(tx, settings, { row, mapping: imp.mapping, labels: imp.labels })
      );
      if (outcome === "created" || outcome === "merged") counts[outcome]++;
      else skipped.push({ row: number, reason: outcome });
    } catch (e) {
      skipped.push({ row: number, reason: (e as Error).message });
    }
  }
  const processed = imp.processed + rows.length;
  const done = processed >= imp.total;
  await sql`
    update contact_imports set processed = ${processed}, created = created + ${counts.created},
      merged = merged + ${counts.merged}, skipped = skipped || ${sql.json(skipped as never)}::jsonb,
      state = ${done ? "finished" : "running"}, finished_at = ${done ? new Date() : null}
    where id = ${id}`;
  if (!done) await addJob(sql, "contact_import", { import_id: id }, { queue: `import:${id}` });
}
