// What no well-behaved client sends: broken bodies and odd encodings, described briefly so a
// failing example prints in a line, and odd headers, keys and credentials.
import fc from "fast-check";

/** A body that is not what the route wants, described so a failure prints it briefly. */
export type MalformedBody =
  | { kind: "text"; text: string; contentType: string }
  | { kind: "truncated"; json: string; cut: number }
  | { kind: "bytes"; bytes: number[]; contentType: string }
  | { kind: "huge"; bytes: number }
  | { kind: "deep"; depth: number }
  | { kind: "utf16" | "bom" | "gzip" | "stream" | "multipart"; json: string }
  | { kind: "lying-length"; length: string };

/** Broken bodies and odd encodings; `json` is a valid-looking body to break. */
export function malformedBody(json: fc.Arbitrary<string>): fc.Arbitrary<MalformedBody> {
  return fc.oneof(
    fc.record({
      kind: fc.constant("text" as const),
      text: fc.oneof(
        fc.constantFrom("[]", "null", "1", '"text"', "true", "{}", "[{}]", "{", "}", "{,}", "NaN"),
        fc.constantFrom('{"a":1,"a":2}', '{"__proto__":{"x":1}}', "{'single':'quotes'}"),
        fc.constantFrom("a=1&b=2", "to=%2B1415&content=hi", "\u0000", "\uFEFF{}"),
        fc.string({ unit: "binary", maxLength: 30 }),
      ),
      contentType: fc.constantFrom(
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
        "",
      ),
    }),
    // Numbers no JSON.stringify writes: past a double's range (Infinity), past 2^64, tiny.
    fc.tuple(
      json,
      fc.constantFrom("1e400", "-1e400", "123456789012345678901234567890", "1E-400", "-0"),
    ).map(([j, n]) => ({
      kind: "text" as const,
      text: j.replace(/-?\d+(\.\d+)?([eE][+-]?\d+)?/g, n),
      contentType: "application/json",
    })),
    json.chain((j) =>
      fc.record({
        kind: fc.constant("truncated" as const),
        json: fc.constant(j),
        cut: fc.nat({ max: Math.max(0, j.length - 1) }),
      })
    ),
    fc.record({
      kind: fc.constant("bytes" as const),
      bytes: fc.oneof(
        fc.constantFrom<number[]>([0xff, 0xfe, 0xfd], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [
          0xf8,
          0x88,
        ]),
        // Invalid UTF-8 inside an otherwise fine JSON string.
        fc.constant<number[]>([
          ...new TextEncoder().encode('{"to":"'),
          0xff,
          0xc3,
          0x28,
          0x22,
          0x7d,
        ]),
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }),
      ),
      contentType: fc.constantFrom("application/json", "application/octet-stream"),
    }),
    fc.record({ kind: fc.constant("huge" as const), bytes: fc.constantFrom(1_000_001, 2_100_000) }),
    fc.record({ kind: fc.constant("deep" as const), depth: fc.constantFrom(1_000, 100_000) }),
    fc.record({
      kind: fc.constantFrom("utf16" as const, "bom" as const, "gzip" as const, "stream" as const),
      json,
    }),
    fc.record({ kind: fc.constant("multipart" as const), json }),
    fc.record({
      kind: fc.constant("lying-length" as const),
      length: fc.constantFrom("99999999999", "-1", "abc", "1e3", "0"),
    }),
  );
}

/** The bytes and headers that send a malformed body. */
export async function encodeMalformed(
  b: MalformedBody,
): Promise<{ body: BodyInit | null; headers: Record<string, string> }> {
  const enc = new TextEncoder();
  switch (b.kind) {
    case "text":
      return { body: b.text, headers: b.contentType ? { "content-type": b.contentType } : {} };
    case "truncated":
      return { body: b.json.slice(0, b.cut), headers: { "content-type": "application/json" } };
    case "bytes":
      return { body: new Uint8Array(b.bytes), headers: { "content-type": b.contentType } };
    case "huge":
      return {
        body: `{"x":"${"a".repeat(b.bytes)}"}`,
        headers: { "content-type": "application/json" },
      };
    case "deep":
      return {
        body: "[".repeat(b.depth) + "]".repeat(b.depth),
        headers: { "content-type": "application/json" },
      };
    case "utf16": {
      const out = new Uint8Array(b.json.length * 2);
      for (let i = 0; i < b.json.length; i++) {
        out[i * 2] = b.json.charCodeAt(i) & 0xff;
        out[i * 2 + 1] = b.json.charCodeAt(i) >> 8;
      }
      return { body: out, headers: { "content-type": "application/json; charset=utf-16le" } };
    }
    case "bom":
      return {
        body: new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(b.json)]),
        headers: { "content-type": "application/json; charset=utf-8" },
      };
    case "gzip": {
      const stream = new Blob([b.json]).stream().pipeThrough(new CompressionStream("gzip"));
      return {
        body: new Uint8Array(await new Response(stream).arrayBuffer()),
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
      };
    }
    case "stream": {
      // Chunked, with no Content-Length: split mid-character to test reassembly.
      const bytes = enc.encode(b.json);
      const half = Math.floor(bytes.length / 2);
      return {
        body: new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(bytes.slice(0, half));
            c.enqueue(bytes.slice(half));
            c.close();
          },
        }),
        headers: { "content-type": "application/json" },
      };
    }
    case "multipart": {
      const form = new FormData();
      form.set("json", b.json);
      form.set("file", new Blob([b.json], { type: "application/json" }), "body.json");
      return { body: form, headers: {} };
    }
    case "lying-length":
      return {
        body: '{"a":1}',
        headers: { "content-type": "application/json", "content-length": b.length },
      };
  }
}

// Printable Latin-1: what fetch lets a header value hold (no controls, nothing past U+00FF).
const headerChar = fc.integer({ min: 0x20, max: 0xff }).filter((n) => n !== 0x7f).map((n) =>
  String.fromCharCode(n)
);

/** A header value fetch accepts, non-ASCII (Latin-1) among them. */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: headerChar, minLength: 1, maxLength: 40 }),
  fc.constantFrom("é", "\u00ff\u00fe", "x".repeat(8_000), "gzip, br, deflate, zstd, *;q=0"),
);

// Cookies the pages read (the time zone, the session) with values they must survive.
const cookie = fc.tuple(
  fc.constantFrom("hatch_tz", "hatch_session", "__Host-hatch_session", "x"),
  fc.oneof(
    fc.constantFrom("%E0%A4%A", "%", "Europe/Paris", "../../etc/passwd", "UTC%00", "Mars/Olympus"),
    fc.string({ unit: headerChar, maxLength: 20 }).filter((v) => !/[;,]/.test(v)),
  ),
).map(([name, value]) => ["cookie", `${name}=${value}`] as [string, string]);

/** Extra request headers: a few that Hatch reads, some it does not, with odd values. */
export const oddHeaders: fc.Arbitrary<[string, string][]> = fc.array(
  fc.oneof(
    cookie,
    fc.tuple(
      fc.constantFrom(
        "accept",
        "accept-encoding",
        "accept-language",
        "user-agent",
        "cookie",
        "x-csrf-token",
        "last-event-id",
        "x-request-id",
        "x-forwarded-for",
        "x-http-method-override",
        "range",
        "if-none-match",
        "x-twilio-signature",
        "x-twilio-email-event-webhook-signature",
        "x-twilio-email-event-webhook-timestamp",
      ),
      headerValue,
    ),
  ),
  { maxLength: 3 },
);

/** An Idempotency-Key: good, too long, empty, with spaces or Latin-1 letters. */
export const idempotencyKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  // Keys used again: a replay of the first answer, or a 422 for another body.
  fc.constantFrom("fuzz-key-1", "fuzz-key-2"),
  fc.constantFrom("", "a b", "clé", "k".repeat(256), "k".repeat(10_000), "\u00a0"),
  fc.string({ unit: headerChar, minLength: 1, maxLength: 300 }),
);

/** An Authorization header that must not let anyone in. */
export const badAuthorization: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "Bearer",
    "Bearer ",
    "Bearer hatch_",
    "Bearer null",
    "Basic YWRtaW46YWRtaW4=",
    "Token abc",
    "bearer hatch_00000000000000000000",
    `Bearer ${"a".repeat(8_000)}`,
  ),
  fc.string({ unit: headerChar, minLength: 1, maxLength: 60 }).map((s) => `Bearer ${s}`),
  fc.string({ unit: headerChar, minLength: 1, maxLength: 60 }),
);
