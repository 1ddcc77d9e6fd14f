// fast-check arbitraries derived from the routes' own zod schemas (through their JSON Schema, the
// same one /openapi.json publishes), plus the hostile values and broken bodies a fuzzer mixes in.
import fc from "fast-check";
import { z } from "zod";

/** The part of JSON Schema that zod's `toJSONSchema` emits for the API's schemas. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/** The input side of a zod schema as JSON Schema, as /openapi.json documents it. */
export function inputSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** `arbitrary` once in `1 + rarity` draws, `undefined` otherwise. */
export function sometimes<T>(
  arbitrary: fc.Arbitrary<T>,
  rarity: number,
): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: rarity, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

/** Arbitraries to use instead of the schema's for properties of these names (real ids…). */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

// Strings that have broken web services before: NUL and control characters (PostgreSQL refuses
// NUL in text), direction marks, emoji and combining marks, lone surrogates, numbers that do
// not fit 64 bits, injection and template syntax, and Twilio's test numbers that fail on send.
const NASTY = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u0001\u0002\u001f\u007f",
  "\u202Eevil\u202C",
  "\u200B\u200C\u200D\u2060",
  "\uFEFF",
  "\u0085\u2028\u2029",
  "\r\n\r\nX-Injected: 1",
  "\uD800",
  "x\uDFFFy",
  "😀🎉👨‍👩‍👧‍👦🏳️‍🌈",
  "Z̸̡̢̛̗͎͍̥̮͕͖̝͇͓̰̓̀̇́͗̽̌a̷",
  "ﷺ𒐫",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-1",
  "0",
  "1e309",
  "-0",
  "0x10",
  "9223372036854775808",
  "-9223372036854775809",
  "18446744073709551616",
  "00000000-0000-0000-0000-000000000000",
  "'; drop table users; --",
  "<script>alert(1)</script>",
  "{{7*7}}${7*7}%s%n",
  "../../../../etc/passwd",
  "%00%ff%",
  "\\",
  '"',
  "+",
  "+1",
  "+15005550001",
  "+15005550004",
  "STOP",
  "a@b",
  "a".repeat(256),
  "é".repeat(5_000),
];

/** One of the hostile strings above, or any code points at all. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
);

/** A value of a type an API would not expect, or at a limit of its type. */
export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.constantFrom(
    2 ** 63,
    -(2 ** 63),
    Number.MAX_SAFE_INTEGER + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    -1,
    0,
    1.5,
    -0,
    true,
    false,
    null,
    [],
    {},
    [[[[[]]]]],
    { "__proto__": { polluted: true } },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref?.match(/^#\/\$defs\/(.+)$/);
  return ref ? resolve(root.$defs?.[ref[1]] ?? {}, root) : schema;
}

function types(schema: JsonSchema): string[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
}

function integerBounds(schema: JsonSchema): { min: number; max: number } {
  const lo = Math.max(
    schema.minimum ?? -1_000_000,
    schema.exclusiveMinimum === undefined ? -Infinity : Math.floor(schema.exclusiveMinimum) + 1,
    Number.MIN_SAFE_INTEGER,
  );
  const hi = Math.min(
    schema.maximum ?? 1_000_000,
    schema.exclusiveMaximum === undefined ? Infinity : Math.ceil(schema.exclusiveMaximum) - 1,
    Number.MAX_SAFE_INTEGER,
  );
  return { min: Math.ceil(lo), max: Math.floor(hi) };
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Math.max(min, 60);
  const fits = (s: string) => s.length >= min && s.length <= max;
  if (schema.format === "uuid") return fc.oneof(fc.uuid(), fc.uuid().map((s) => s.toUpperCase()));
  if (schema.format === "email") return fc.emailAddress().filter(fits);
  if (schema.format === "uri") return fc.webUrl().filter(fits);
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern), { maxLength: max }).filter(fits);
    } catch {
      // A pattern fast-check cannot invert: plain strings, which the schema mostly refuses.
    }
  }
  // Short strings in several alphabets, and the two lengths at the limits.
  const short = Math.min(max, min + 40);
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: short }) },
    {
      weight: 2,
      arbitrary: fc.string({ minLength: min, maxLength: short, unit: "grapheme" }).filter(fits),
    },
    { weight: 1, arbitrary: fc.constantFrom("x".repeat(Math.max(min, 1)), "é".repeat(max)) },
  ).filter(fits);
}

/** Values the schema accepts (as far as JSON Schema can say): the "valid" third of the mix. */
export function validValue(
  schema: JsonSchema,
  options: { root?: JsonSchema; hints?: Hints } = {},
): fc.Arbitrary<unknown> {
  const root = options.root ?? schema;
  const s = resolve(schema, root);
  const sub = (child: JsonSchema) => validValue(child, { ...options, root });
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union?.length) return fc.oneof(...union.map(sub));
  if (s.allOf?.length) return sub(s.allOf[0]);
  const kinds = types(s);
  if (kinds.length > 1) return fc.oneof(...kinds.map((type) => sub({ ...s, type })));
  switch (kinds[0]) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer(integerBounds(s));
    case "number":
      return fc.double({
        min: s.minimum ?? -1e9,
        max: s.maximum ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "string":
      return validString(s);
    case "array":
      return fc.array(sub(s.items ?? {}), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 4, Math.max(s.minItems ?? 0, 4)),
      });
    case "object":
      return validObject(s, { ...options, root });
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validObject(
  s: JsonSchema,
  options: { root?: JsonSchema; hints?: Hints },
): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, child] of Object.entries(props)) {
    const own = validValue(child, options);
    const hint = options.hints?.[key];
    model[key] = hint
      ? fc.oneof({ weight: 3, arbitrary: hint }, { weight: 1, arbitrary: own })
      : own;
  }
  // Optional keys come and go; now and then a key no schema names rides along.
  return fc.tuple(
    fc.record(model, { requiredKeys: s.required ?? [] }),
    sometimes(fc.tuple(fc.constantFrom("extra", "id", "__proto__", "constructor"), weirdValue), 6),
  ).map(([obj, extra]) => {
    const out: Record<string, unknown> = { ...obj };
    if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true });
    return out;
  });
}

/** A valid value with one thing wrong: a wrong type, a missing key, a value at or past a limit. */
export function nearValidValue(
  schema: JsonSchema,
  options: { root?: JsonSchema; hints?: Hints; depth?: number } = {},
): fc.Arbitrary<unknown> {
  const root = options.root ?? schema;
  const s = resolve(schema, root);
  const depth = options.depth ?? 0;
  const props = Object.entries(s.properties ?? {});
  if (!types(s).includes("object") || !props.length || depth > 2) {
    return fc.oneof(weirdValue, fc.constantFrom(...limitValues(s)));
  }
  const keys = props.map(([k]) => k);
  const mutated = fc.tuple(
    validValue(s, options) as fc.Arbitrary<Record<string, unknown>>,
    fc.constantFrom(...keys),
    fc.integer({ min: 0, max: 2 }),
  ).chain(([obj, key, how]) => {
    if (how === 0) {
      // Drop one key, required or not.
      const { [key]: _gone, ...rest } = obj;
      return fc.constant(rest as unknown);
    }
    const child = how === 1
      ? nearValidValue(s.properties![key], { ...options, root, depth: depth + 1 })
      : weirdValue;
    return child.map((v) => ({ ...obj, [key]: v }) as unknown);
  });
  return mutated;
}

// Values just inside and just outside a schema's declared limits.
function limitValues(s: JsonSchema): unknown[] {
  const out: unknown[] = [];
  if (s.maxLength !== undefined) out.push("x".repeat(s.maxLength), "y".repeat(s.maxLength + 1));
  if (s.minLength !== undefined && s.minLength > 0) out.push("z".repeat(s.minLength - 1));
  if (s.maximum !== undefined) out.push(s.maximum, s.maximum + 1, s.maximum + 0.5);
  if (s.minimum !== undefined) out.push(s.minimum, s.minimum - 1);
  if (s.maxItems !== undefined) out.push(Array.from({ length: s.maxItems + 1 }, () => "a"));
  if (s.enum) out.push(...s.enum.map((e) => typeof e === "string" ? e.toUpperCase() : e), "");
  return out.length ? out : [null];
}

/** A request body for `schema`: mostly valid, often nearly valid, sometimes any JSON at all. */
export function bodyValue(schema: JsonSchema, hints?: Hints): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: validValue(schema, { hints }) },
    { weight: 3, arbitrary: nearValidValue(schema, { hints }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

/** A query string's pairs for an object schema, values in the same valid/near-valid mix. */
export function queryPairs(schema: JsonSchema, hints?: Hints): fc.Arbitrary<[string, string][]> {
  const props = Object.entries(schema.properties ?? {});
  const asText = (v: unknown) => typeof v === "string" ? v : JSON.stringify(v) ?? "";
  const pair = ([key, child]: [string, JsonSchema]) =>
    fc.oneof(
      { weight: 4, arbitrary: hints?.[key] ?? validValue(child, { root: schema }) },
      { weight: 2, arbitrary: nearValidValue(child, { root: schema }) },
    ).map((v) => [key, asText(v)] as [string, string]);
  const required = new Set(schema.required ?? []);
  return fc.tuple(
    fc.tuple(
      ...props.map(([key, child]) =>
        required.has(key)
          ? pair([key, child]).map((p) => [p])
          : sometimes(pair([key, child]), 1).map((p) => p ? [p] : [])
      ),
    ),
    // Unknown keys, and keys given twice.
    fc.array(
      fc.tuple(
        fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...keysOf(props))),
        nastyString,
      ),
      {
        maxLength: 2,
      },
    ),
  ).map(([known, extra]) => [...known.flat(), ...extra]);
}

function keysOf(props: [string, JsonSchema][]): string[] {
  return props.length ? props.map(([k]) => k) : ["q"];
}

/** A path parameter: a real id most of the time, else a random UUID or junk (URL-encoded). */
export function pathId(real: string[]): fc.Arbitrary<string> {
  const junk = fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 40 }).map(encodeURIComponent),
    fc.constantFrom(
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
      "not-a-uuid",
      "%00",
      "%FF%FE",
      "%C0%AE%C0%AE",
      "%E0%A4%A",
      "..",
      "%2e%2e%2f",
      "1",
      "-1",
      "9223372036854775808",
      encodeURIComponent("😀"),
      "x".repeat(2_000),
    ),
    fc.uuid().map((u) => `${u}%20`),
    fc.uuid().map((u) => u.slice(0, 35)),
  );
  const parts: fc.WeightedArbitrary<string>[] = [
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: junk },
  ];
  if (real.length) {
    parts.push({ weight: 3, arbitrary: fc.constantFrom(...real) });
    parts.push({ weight: 1, arbitrary: fc.constantFrom(...real).map((id) => id.toUpperCase()) });
  }
  return fc.oneof(...parts);
}

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
