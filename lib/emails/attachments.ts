// Inbound attachments live on disk under the data directory, not in the database: a 25 MB file
// in a jsonb column would be copied on every read of the row.
import { join } from "node:path";
import type { InboundAttachment } from "@/lib/providers/sendgrid_inbound.ts";

/** An attachment as emails.attachments records it. */
export interface StoredAttachment {
  filename: string;
  content_type: string;
  size: number;
  content_id?: string;
  /** Relative to HATCH_DATA_DIR; absent when the file was not kept. */
  path?: string;
  /** False when the file was over HATCH_ATTACHMENT_MAX_BYTES: recorded, contents dropped. */
  kept: boolean;
}

/** A file name safe on any file system: no path, no control or shell characters. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.normalize("NFKC").replace(/[^\p{L}\p{N}._ -]+/gu, "_").replace(/\s+/g, "_")
    .replace(/^[.]+/, "").slice(-100);
  return clean || "attachment";
}

function directory(dataDir: string, emailId: string): string {
  return join(dataDir, "attachments", emailId);
}

/** Writes an email's attachments under `<dataDir>/attachments/<email id>/`; returns the records. */
export async function storeAttachments(
  options: { dataDir: string; emailId: string; maxBytes: number },
  attachments: InboundAttachment[],
): Promise<StoredAttachment[]> {
  const out: StoredAttachment[] = [];
  let made = false;
  for (const [i, a] of attachments.entries()) {
    const record: StoredAttachment = {
      filename: a.filename,
      content_type: a.contentType,
      size: a.data.byteLength,
      ...(a.contentId ? { content_id: a.contentId } : {}),
      kept: false,
    };
    if (a.data.byteLength <= options.maxBytes) {
      if (!made) {
        await Deno.mkdir(directory(options.dataDir, options.emailId), { recursive: true });
        made = true;
      }
      const path = join("attachments", options.emailId, `${i + 1}-${safeFilename(a.filename)}`);
      await Deno.writeFile(join(options.dataDir, path), a.data);
      record.path = path;
      record.kept = true;
    }
    out.push(record);
  }
  return out;
}

/** Removes an email's attachment directory (an email that was not stored after all). */
export async function removeAttachments(dataDir: string, emailId: string): Promise<void> {
  await Deno.remove(directory(dataDir, emailId), { recursive: true }).catch(() => {});
}
