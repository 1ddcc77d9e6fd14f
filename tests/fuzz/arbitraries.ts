// fast-check arbitraries derived from the routes' own zod schemas (through their JSON Schema, the
// same one /openapi.json publishes), plus the hostile values a fuzzer mixes in. Broken bodies
// and odd headers are in malformed.ts.
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

/** Values the schema accepts (as far as JSON Schema can say): most of the mix. */
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
