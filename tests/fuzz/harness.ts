// What the fuzz tests share: the seed and run count, sending a generated request, and the
// properties every answer must have whatever was sent.
import fc from "fast-check";
import type { z } from "zod";
import type { OperationDoc } from "@/lib/web/define.ts";
import type { Requester } from "@/tests/helpers.ts";
import { encodeMalformed, type MalformedBody } from "./malformed.ts";

/** The run's seed: HATCH_FUZZ_SEED replays a failure, otherwise a fresh one each run. */
export const SEED = Number(Deno.env.get("HATCH_FUZZ_SEED") ?? Math.floor(Math.random() * 2 ** 31));

/** Examples per operation; HATCH_FUZZ_RUNS raises it for a longer hunt. */
export const RUNS = Number(Deno.env.get("HATCH_FUZZ_RUNS") ?? 25);

/** One generated request. */
export interface FuzzRequest {
  method: string;
  path: string;
  query?: [string, string][];
  /** Appended to the query as is: percent-encoding no encoder would write. */
  rawQuery?: string;
  body?: { json: unknown; contentType: string } | { malformed: MalformedBody };
  headers?: [string, string][];
}

/** What a route's answers must look like. */
export interface Expectation {
  /** The route's OpenAPI notes: a 2xx must be documented and match its schema. */
  doc?: OperationDoc;
  /** Pages may answer HTML, and redirect. */
  page?: boolean;
  /** Routes that may redirect (a form post's 303). */
  redirects?: boolean;
  /** Unsigned webhooks and bad credentials: only a 4xx will do. */
  only4xx?: boolean;
  /** A bad credential on a closed route: exactly this status. */
  status?: number;
}

/** The URL, with the query's pairs encoded as a browser would. */
export function urlOf(r: FuzzRequest): string {
  const parts = [...(r.query?.length ? [`${new URLSearchParams(r.query)}`] : []), r.rawQuery ?? ""];
  const qs = parts.filter(Boolean).join("&");
  return qs ? `${r.path}?${qs}` : r.path;
}

/** Sends a generated request; a header fetch refuses is dropped, as a client would drop it. */
export async function send(app: Requester, r: FuzzRequest): Promise<Response> {
  const headers = new Headers();
  let body: BodyInit | null = null;
  if (r.body && "json" in r.body) {
    body = JSON.stringify(r.body.json) ?? "null";
    if (r.body.contentType) headers.set("content-type", r.body.contentType);
  } else if (r.body) {
    const encoded = await encodeMalformed(r.body.malformed);
    body = encoded.body;
    for (const [k, v] of Object.entries(encoded.headers)) headers.set(k, v);
  }
  for (const [k, v] of r.headers ?? []) {
    try {
      headers.set(k, v);
    } catch {
      // Not a legal header: no client could send it either.
    }
  }
  return await app.request(urlOf(r), { method: r.method, headers, body });
}

function describe(r: FuzzRequest, status: number, text: string): string {
  return `${r.method} ${urlOf(r).slice(0, 300)} → ${status} ${text.slice(0, 500)}`;
}

function issues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
}

/**
 * Reads the answer and throws unless it keeps the rules: never a 5xx; a documented 2xx that
 * parses with its documented schema; a 4xx as `{success: false, error: "…"}` (pages may answer
 * HTML); a redirect only where one is expected, with a Location. Returns the body read.
 */
export async function checkAnswer(
  r: FuzzRequest,
  res: Response,
  e: Expectation,
): Promise<string> {
  const type = res.headers.get("content-type") ?? "";
  // An event stream never ends by itself: the status and headers are all there is to check.
  const text = type.includes("text/event-stream")
    ? (await res.body?.cancel(), "")
    : await res.text();
  const where = describe(r, res.status, text);
  if (res.status >= 500) throw new Error(`Server error: ${where}`);
  if (e.status !== undefined && res.status !== e.status) {
    throw new Error(`Expected ${e.status}: ${where}`);
  }
  if (e.only4xx && (res.status < 400 || res.status >= 500)) {
    throw new Error(`Expected a 4xx: ${where}`);
  }
  if (res.status >= 300 && res.status < 400) {
    if (!e.page && !e.redirects) throw new Error(`Unexpected redirect: ${where}`);
    if (!res.headers.get("location")) throw new Error(`Redirect without Location: ${where}`);
    return text;
  }
  // A HEAD answer has the GET's status and headers but, by definition, no body to check.
  if (r.method.toUpperCase() === "HEAD") return text;
  if (res.status >= 400) {
    if (e.page && type.includes("text/html")) return text;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`A ${res.status} that is not JSON: ${where}`);
    }
    const v = value as { success?: unknown; error?: unknown };
    if (v?.success !== false || typeof v.error !== "string" || !v.error.trim()) {
      throw new Error(`A ${res.status} without {success: false, error}: ${where}`);
    }
    return text;
  }
  // 2xx
  if (e.doc) {
    const documented = e.doc.responses[res.status];
    if (!documented) throw new Error(`Undocumented status ${res.status}: ${where}`);
    if (documented.schema && !type.includes("text/event-stream")) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new Error(`A documented ${res.status} that is not JSON: ${where}`);
      }
      const parsed = documented.schema.safeParse(value);
      if (!parsed.success) {
        throw new Error(`Answer does not match its schema (${issues(parsed.error)}): ${where}`);
      }
    }
  } else if (type.includes("application/json")) {
    try {
      JSON.parse(text);
    } catch {
      throw new Error(`JSON content type, body not JSON: ${where}`);
    }
  }
  return text;
}

/**
 * How a property's answers spread (status and error, values elided): printed with
 * HATCH_FUZZ_VERBOSE=1 to see whether the valid paths are reached, not only the refusals.
 */
export class Tally {
  #seen = new Map<string, number>();

  constructor(readonly name: string) {}

  /** Counts one answer. */
  add(status: number, text: string): void {
    const why = status >= 400 && text.startsWith("{")
      ? String(JSON.parse(text).error).replace(/"[^"]*"/g, "…").slice(0, 60)
      : "";
    const key = `${status} ${why}`;
    this.#seen.set(key, (this.#seen.get(key) ?? 0) + 1);
  }

  /** Prints the most common answers when asked to. */
  print(): void {
    if (!Deno.env.get("HATCH_FUZZ_VERBOSE")) return;
    const top = [...this.#seen].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(this.name, top.map(([k, n]) => `\n  ${n} × ${k}`).join(""));
  }
}

/** Runs an async property RUNS times from SEED; a failure names the seed that replays it. */
export async function fuzz<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  property: (value: T) => Promise<void>,
  runs = RUNS,
): Promise<void> {
  try {
    await fc.assert(fc.asyncProperty(arbitrary, property), { numRuns: runs, seed: SEED });
  } catch (e) {
    // fast-check keeps the property's own error as the cause: that is the finding.
    const cause = (e as Error).cause;
    const why = cause instanceof Error ? cause.message : String(cause ?? "");
    throw new Error(
      `${name} failed; replay with HATCH_FUZZ_SEED=${SEED}\n${why}\n${(e as Error).message}`,
    );
  }
}
