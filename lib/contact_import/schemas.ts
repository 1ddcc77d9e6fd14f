import { z } from "zod";
import { MAX_CSV_BYTES } from "@/lib/broadcasts/schemas.ts";

const Column = z.string().trim().min(1).max(200).optional();

/** Body of POST /api/contact_imports. */
export const ImportInput = z.object({
  csv: z.string().min(1, "csv is empty").max(MAX_CSV_BYTES, "csv is too large: at most 900 kB"),
  mapping: z.object({
    phone: Column,
    email: Column,
    name: Column,
    first_name: Column,
    last_name: Column,
  }).optional().describe("Which column holds what; guessed from the headers when left out"),
  labels: z.array(z.string().trim().min(1).max(60)).max(10).optional()
    .describe("Labels every imported contact gets"),
});
export type ImportInput = z.infer<typeof ImportInput>;

/** An import and how far it has got. */
export const ContactImport = z.object({
  id: z.guid(),
  state: z.enum(["running", "finished"]),
  total: z.number().int(),
  processed: z.number().int(),
  created: z.number().int(),
  merged: z.number().int().describe("Rows that matched an existing contact by phone or email"),
  skipped: z.array(z.object({ row: z.number().int(), reason: z.string() }))
    .describe("Every row left out, numbered as in the file (the header is row 1)"),
  labels: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
});
export type ContactImport = z.infer<typeof ContactImport>;
