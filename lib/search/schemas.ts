import { z } from "zod";
import { Limit } from "@/lib/conversations/schemas.ts";
import { MessageStatus } from "@/lib/messages/schemas.ts";
import { TimelineItem } from "@/lib/contacts/schemas.ts";

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;

// PostgreSQL's timestamps in ISO form run from year 1 to 9999 (it refuses year 0 and a
// six-digit year); a whole day as `until` reaches to the next midnight, so stop a day short.
const FIRST = Date.parse("0001-01-01T00:00:00Z");
const LAST = Date.parse("9999-12-31T00:00:00Z");

/** A day (`2024-05-01`, UTC) or an instant with its offset (`2024-05-01T09:30:00Z`). */
// The field's name comes from the path (describeZodError), not the message.
const When = () =>
  z.string().trim().refine(
    (s) => (DATE_RE.test(s) || DATETIME_RE.test(s)) && !Number.isNaN(Date.parse(s)),
    {
      abort: true,
      error: (i) => `"${i.input}" is not a date (2024-05-01 or 2024-05-01T09:30:00Z)`,
    },
  ).refine((s) => Date.parse(s) >= FIRST && Date.parse(s) < LAST, {
    error: (i) => `"${i.input}" is out of range: from 0001-01-01 to 9999-12-30`,
  });

/** Query of GET /api/search. */
export const SearchQuery = z.object({
  q: z.string({ error: "q is empty: give words to search for" }).max(
    500,
    "q is too long: at most 500 characters",
  ).describe(
    'Words, as a web search engine reads them: "a phrase", -excluded, or; the last word also matches as a prefix',
  ),
  channel: z.enum(["sms", "chat", "email"]).optional(),
  direction: z.enum(["inbound", "outbound"]).optional(),
  status: MessageStatus.optional(),
  contact_id: z.guid({ error: "contact_id must be a UUID" }).optional(),
  since: When().optional().describe("From this day or instant, inclusive"),
  until: When().optional().describe("Up to this instant, or through this whole day (UTC)"),
  limit: Limit,
  before: z.string().max(200).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/** Answer of GET /api/search: messages and emails, newest first. */
export const SearchResults = z.object({
  results: z.array(TimelineItem),
  next_cursor: z.string().nullable(),
});

/** Whether a `since`/`until` value names a whole day rather than an instant. */
export function isDay(text: string): boolean {
  return DATE_RE.test(text);
}
