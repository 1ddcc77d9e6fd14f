// Who a broadcast goes to: the contacts with a label, or the rows of an uploaded CSV.
import { parse } from "csv-parse/sync";
import type { Tx } from "@/lib/db/connect.ts";
import { BadRequestError } from "@/lib/errors.ts";
import { toE164 } from "@/lib/messages/address.ts";
import { contactValues } from "@/lib/shared/template.ts";
import type { Audience } from "./schemas.ts";

/** One recipient: a number, the contact it belongs to, and its variables' values. */
export interface Candidate {
  phone: string;
  contactId: string | null;
  variables: Record<string, string>;
}

/** The recipients an audience names, with the rows left out and why. */
export interface Resolved {
  candidates: Candidate[];
  invalid: number;
  duplicate: number;
}

const PHONE_COLUMN = /^(phone|phone.?number|mobile|cell|number|tel|telephone|to)$/i;
const NAME_COLUMN = /^(name|full.?name|contact)$/i;
const FIRST_COLUMN = /^first.?name$/i;
const LAST_COLUMN = /^last.?name$/i;

/** Reads CSV text into rows keyed by its header; refuses a file without a phone column. */
export function readCsv(text: string): { rows: Record<string, string>[]; columns: string[] } {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (e) {
    throw new BadRequestError(`The CSV cannot be read: ${(e as Error).message}`);
  }
  return { rows, columns: rows.length ? Object.keys(rows[0]) : [] };
}

function csvCandidates(
  text: string,
  defaultCountry: string,
): { candidates: Candidate[]; invalid: number } {
  const { rows, columns } = readCsv(text);
  const phoneCol = columns.find((c) => PHONE_COLUMN.test(c));
  if (!phoneCol) {
    throw new BadRequestError(
      `The CSV has no phone column: name one "phone" (its columns: ${
        columns.join(", ") || "none"
      })`,
    );
  }
  const nameCol = columns.find((c) => NAME_COLUMN.test(c));
  const firstCol = columns.find((c) => FIRST_COLUMN.test(c));
  const lastCol = columns.find((c) => LAST_COLUMN.test(c));
  let invalid = 0;
  const out: Candidate[] = [];
  for (const row of rows) {
    let phone: string;
    try {
      phone = toE164(row[phoneCol] ?? "", defaultCountry);
    } catch {
      invalid++;
      continue;
    }
    const name = nameCol
      ? row[nameCol]
      : [firstCol && row[firstCol], lastCol && row[lastCol]].filter(Boolean).join(" ");
    out.push({ phone, contactId: null, variables: contactValues(name, phone) });
  }
  return { candidates: out, invalid };
}

/** Resolves an audience to distinct numbers, filling names from the contacts they belong to. */
export async function resolveAudience(
  sql: Tx,
  audience: Audience,
  defaultCountry: string,
): Promise<Resolved> {
  let list: Candidate[];
  let invalid = 0;
  if ("label" in audience) {
    // One text per contact: its first number.
    const rows = await sql`
      select distinct on (c.id) c.id, c.name, p.phone
      from contact_labels l
      join contacts c on c.id = l.contact_id
      join contact_phones p on p.contact_id = c.id
      where lower(l.label) = lower(${audience.label})
      order by c.id, p.phone`;
    list = rows.map((r) => ({
      phone: r.phone as string,
      contactId: r.id as string,
      variables: contactValues(r.name as string, r.phone as string),
    }));
  } else {
    const read = csvCandidates(audience.csv, defaultCountry);
    list = read.candidates;
    invalid = read.invalid;
    const known = await sql`
      select p.phone, c.id, c.name from contact_phones p join contacts c on c.id = p.contact_id
      where p.phone = any(${list.map((c) => c.phone)})`;
    const byPhone = new Map(known.map((k) => [k.phone as string, k]));
    for (const c of list) {
      const k = byPhone.get(c.phone);
      if (!k) continue;
      c.contactId = k.id as string;
      if (!c.variables["contact.name"]) c.variables = contactValues(k.name as string, c.phone);
    }
  }
  const seen = new Set<string>();
  const candidates = list.filter((c) => !seen.has(c.phone) && seen.add(c.phone));
  return { candidates, invalid, duplicate: list.length - candidates.length };
}
