// Addresses that bounced or reported spam: sending to them again hurts the sender's reputation,
// so Hatch refuses before anything is stored.
import type { Tx } from "@/lib/db/connect.ts";
import { UnprocessableError } from "@/lib/errors.ts";

/** Why an address is suppressed. */
export type SuppressionReason = "bounce" | "spamreport";

/** Records that an address must get no more email; the first reason recorded is kept. */
export async function suppressAddress(
  tx: Tx,
  s: { email: string; reason: SuppressionReason; detail?: string | null; at?: Date },
): Promise<void> {
  await tx`
    insert into email_suppressions (email, reason, detail, created_at)
    values (${s.email.toLowerCase()}, ${s.reason}, ${s.detail ?? null}, ${s.at ?? new Date()})
    on conflict (email) do nothing`;
}

function describe(row: { email: string; reason: string; created_at: Date }): string {
  const on = new Date(row.created_at).toISOString().slice(0, 10);
  const why = row.reason === "spamreport"
    ? `it was reported as spam on ${on}`
    : `it bounced on ${on}`;
  return `Cannot send email to "${row.email}": ${why}`;
}

/** Throws a 422 naming the first suppressed address among `addresses`. */
export async function assertNotSuppressed(tx: Tx, addresses: string[]): Promise<void> {
  if (!addresses.length) return;
  const lower = addresses.map((a) => a.toLowerCase());
  const rows = await tx`
    select email, reason, created_at from email_suppressions where email = any(${lower})`;
  if (!rows.length) return;
  const first = lower.find((a) => rows.some((r) => r.email === a))!;
  const row = rows.find((r) => r.email === first)!;
  throw new UnprocessableError(
    describe(row as unknown as { email: string; reason: string; created_at: Date }),
  );
}
