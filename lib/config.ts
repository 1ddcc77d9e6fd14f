import { z } from "zod";
import { ConfigError } from "./errors.ts";

/** Where a value may come from: the environment wins, then secret files, then `.env`. */
export type Source = Record<string, string | undefined>;

const bool = z.enum(["1", "0", "true", "false", "yes", "no", "on", "off"]).transform((v) =>
  ["1", "true", "yes", "on"].includes(v)
);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = z.url();

/** Every setting Hatch reads, with its default. The README's table mirrors this list. */
export const SETTINGS = {
  HATCH_PORT: { fallbacks: ["FLASK_PORT", "PORT"], default: "5002", schema: int(1, 65535) },
  HATCH_HOST: { default: "0.0.0.0", schema: z.string().min(1) },
  HATCH_DATA_DIR: { default: "./.hatch", schema: z.string().min(1) },
  HATCH_PUBLIC_URL: { default: "", schema: z.union([z.literal(""), url]) },
  DATABASE_URL: { fallbacks: ["HATCH_DATABASE_URL"], default: "", schema: z.string() },
  POSTGRES_HOST: { default: "", schema: z.string() },
  POSTGRES_PORT: { default: "5432", schema: int(1, 65535) },
  POSTGRES_USER: { default: "postgres", schema: z.string().min(1) },
  POSTGRES_PASSWORD: { default: "", schema: z.string(), secret: true },
  POSTGRES_DB: { default: "hatch", schema: z.string().min(1) },
  // More connections than the cores can serve only queue inside PostgreSQL, on its locks and
  // its CPUs (the realtime bench sends most with about this many).
  HATCH_DB_POOL_SIZE: {
    default: String(2 * navigator.hardwareConcurrency + 1),
    schema: int(1, 200),
  },
  // How long a request waits for a connection and a statement may run: during an outage every
  // request answers 503 within about this long instead of queueing work that runs later.
  HATCH_DB_TIMEOUT_SECONDS: { default: "5", schema: int(1, 600) },
  HATCH_EMBEDDED_PG_PORT: { default: "5433", schema: int(1, 65535) },
  HATCH_SMS_PROVIDER: { default: "", schema: z.enum(["", "sandbox", "twilio"]) },
  HATCH_EMAIL_PROVIDER: { default: "", schema: z.enum(["", "sandbox", "sendgrid", "smtp"]) },
  TWILIO_ACCOUNT_SID: { default: "", schema: z.string() },
  TWILIO_AUTH_TOKEN: { default: "", schema: z.string(), secret: true },
  TWILIO_PHONE_NUMBER: { default: "", schema: z.string() },
  TWILIO_MESSAGING_SERVICE_SID: { default: "", schema: z.string() },
  // Texts per second each sender may send (a US long code: 1; toll-free and short codes more).
  TWILIO_MPS: { default: "1", schema: z.coerce.number().min(0.1).max(1000) },
  // What one SMS segment costs, for a broadcast's estimate (Twilio's US price, in USD).
  HATCH_SMS_SEGMENT_COST: { default: "0.0083", schema: z.coerce.number().min(0).max(10) },
  HATCH_WEBHOOK_DISABLE_DAYS: { default: "3", schema: int(1, 365) },
  HATCH_BUSINESS_NAME: { default: "", schema: z.string().max(100) },
  // How customers reach a person (a phone number, an email): the answer to HELP.
  HATCH_BUSINESS_CONTACT: { default: "", schema: z.string().max(200) },
  HATCH_QUIET_HOURS: {
    default: "08:00-21:00",
    schema: z.string().regex(/^(off|\d{1,2}:\d{2}-\d{1,2}:\d{2})$/, "write HH:MM-HH:MM or off"),
  },
  HATCH_QUIET_HOURS_ZONE: {
    default: "America/New_York",
    schema: z.string().refine((z) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: z });
        return true;
      } catch {
        return false;
      }
    }, "not a time zone"),
  },
  TWILIO_API_BASE_URL: { default: "", schema: z.union([z.literal(""), url]) },
  SENDGRID_API_KEY: { default: "", schema: z.string(), secret: true },
  SENDGRID_FROM_EMAIL: { default: "", schema: z.string() },
  SENDGRID_API_BASE_URL: { default: "", schema: z.union([z.literal(""), url]) },
  SMTP_URL: { default: "", schema: z.string(), secret: true },
  SENDGRID_WEBHOOK_PUBLIC_KEY: { default: "", schema: z.string() },
  HATCH_INBOUND_EMAIL_SECRET: { default: "", schema: z.string(), secret: true },
  HATCH_INBOUND_EMAIL_ADDRESS: { default: "", schema: z.union([z.literal(""), z.email()]) },
  HATCH_ATTACHMENT_MAX_BYTES: { default: "10485760", schema: int(0, 1_073_741_824) },
  HATCH_RECONCILE_MINUTES: { default: "10", schema: int(1, 1440) },
  HATCH_SANDBOX_NUMBER: { default: "+15005550006", schema: z.string() },
  HATCH_SANDBOX_EMAIL: { default: "hatch@sandbox.local", schema: z.email() },
  HATCH_SANDBOX_DELAY_MS: { default: "400", schema: int(0, 60_000) },
  HATCH_DEFAULT_COUNTRY: { default: "US", schema: z.string().regex(/^[A-Z]{2}$/) },
  HATCH_WORKER: { default: "true", schema: bool },
  // Deliveries in flight per worker process. A delivery mostly waits on the provider (Twilio
  // answers in ~100–300 ms), so 1,000/s needs hundreds in flight across the workers; on a busy
  // database more in flight also keeps delivery's share from being crowded out by sends.
  HATCH_WORKER_CONCURRENCY: { default: "100", schema: int(1, 200) },
  // graphile-worker's connections (fetching and completing jobs; 0: concurrency + 2). The
  // deliveries' own queries use a pool of HATCH_DB_POOL_SIZE that is the worker's alone.
  HATCH_WORKER_POOL_SIZE: { default: "12", schema: int(0, 200) },
  // Jobs the worker fetches (and locks) per query, served to its concurrency from memory; 0 or 1
  // fetches one job per query. Fetching one at a time, the fetch query was PostgreSQL's largest
  // cost under load (it skips the rows other fetches hold); a stopped worker's unstarted jobs
  // are unlocked at its stop (lib/delivery/worker.ts).
  HATCH_WORKER_LOCAL_QUEUE: { default: "100", schema: int(0, 10_000) },
  // How long finished jobs wait to be marked complete together, in milliseconds.
  HATCH_WORKER_BATCH_MS: { default: "5", schema: int(0, 1_000) },
  // How often an idle worker looks for jobs without being told: sends NOTIFY a waiting worker
  // only (sql/014), and this bounds the wait of a job added as the worker went idle.
  HATCH_WORKER_POLL_MS: { default: "1000", schema: int(10, 60_000) },
  HATCH_WORKER_HEARTBEAT_SECONDS: { default: "10", schema: int(1, 3600) },
  HATCH_STOP_SECONDS: { default: "10", schema: int(1, 600) },
  // The HTTP server under the app: node:http holds an idle event stream in a fifth of the
  // memory Deno.serve takes (bench/connections.ts); Deno.serve answers plain requests a little
  // faster (docs/benchmarks.md), which matters less than how many open tabs a process holds.
  HATCH_HTTP_SERVER: { default: "node", schema: z.enum(["deno", "node"]) },
  HATCH_METRICS_TOKEN: { default: "", schema: z.string(), secret: true },
  HATCH_METRICS_PORT: { default: "0", schema: int(0, 65_535) },
  HATCH_KEEPALIVE_SECONDS: { default: "30", schema: int(1, 3600) },
  HATCH_SSE_MAX_SECONDS: { default: "900", schema: int(5, 86_400) },
  HATCH_EVENT_RETENTION_DAYS: { default: "7", schema: int(1, 3650) },
  HATCH_ADMIN_EMAIL: { default: "", schema: z.union([z.literal(""), z.email()]) },
  HATCH_ADMIN_PASSWORD: { default: "", schema: z.string(), secret: true },
  HATCH_SESSION_IDLE_MINUTES: { default: "720", schema: int(5, 525_600) },
  HATCH_SESSION_MAX_DAYS: { default: "14", schema: int(1, 365) },
  HATCH_CORS_ORIGINS: { default: "", schema: z.string() },
  HATCH_SEND_RATE_PER_MINUTE: { default: "600", schema: int(1, 1_000_000) },
  HATCH_MAX_BODY_BYTES: { default: "2000000", schema: int(1000, 100_000_000) },
  HATCH_LOG_LEVEL: {
    default: "info",
    schema: z.enum(["debug", "info", "warning", "error"]),
  },
  HATCH_LOG_FORMAT: { default: "auto", schema: z.enum(["auto", "pretty", "json"]) },
} as const satisfies Record<
  string,
  { default: string; schema: z.ZodType; fallbacks?: string[]; secret?: boolean }
>;

type Key = keyof typeof SETTINGS;
type Raw = { [K in Key]: z.output<(typeof SETTINGS)[K]["schema"]> };

/** Hatch's settings after validation, with the derived choices made once. */
export interface Settings extends Raw {
  /** The database to use; `undefined` means the embedded server. */
  databaseUrl: string | undefined;
  smsProvider: "sandbox" | "twilio";
  emailProvider: "sandbox" | "sendgrid" | "smtp";
  publicUrl: string;
}

/** Reads `KEY=value` lines; `#` starts a comment; quotes around a value are dropped. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/);
    if (!m) continue;
    let value = m[2].trim();
    const quoted = value.match(/^(['"])(.*)\1$/);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, "");
    out[m[1]] = value;
  }
  return out;
}

function readTextIfPresent(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/** Gathers raw values: environment, then `.secrets/` and `/run/secrets/` files, then `.env`. */
export function gatherSources(
  env: Source = Deno.env.toObject(),
  dirs = { dotenv: ".env", secrets: [".secrets", "/run/secrets"] },
): Source {
  const dotenvText = readTextIfPresent(dirs.dotenv);
  const merged: Source = dotenvText ? parseDotenv(dotenvText) : {};
  for (const dir of [...dirs.secrets].reverse()) {
    for (const name of secretNames()) {
      const text = readTextIfPresent(`${dir}/${name}`);
      if (text !== undefined) merged[name] = text.trim();
    }
  }
  for (const [k, v] of Object.entries(env)) {
    // An empty variable (`POSTGRES_PASSWORD=` in a compose file) is unset, not a value: it must
    // not hide the secret file beside it.
    if (v === undefined || v === "") continue;
    // Docker's convention: NAME_FILE points at a file holding NAME.
    const fileOf = k.match(/^(.+)_FILE$/);
    if (fileOf && fileOf[1] in SETTINGS) {
      const text = readTextIfPresent(v);
      if (text === undefined) throw new ConfigError(`${k}: cannot read the file "${v}"`);
      merged[fileOf[1]] = text.trim();
    } else merged[k] = v;
  }
  return merged;
}

function secretNames(): string[] {
  return Object.entries(SETTINGS).flatMap((
    [k, v],
  ) => [k, ...("fallbacks" in v ? v.fallbacks : [])]);
}

/** Validates raw values into settings, or throws a ConfigError naming the bad setting. */
export function parseSettings(source: Source): Settings {
  const raw: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SETTINGS) as [Key, (typeof SETTINGS)[Key]][]) {
    const names = [key, ...("fallbacks" in spec ? spec.fallbacks : [])];
    const found = names.find((n) => source[n] !== undefined && source[n] !== "");
    const value = found ? source[found]! : spec.default;
    const parsed = spec.schema.safeParse(value);
    if (!parsed.success) {
      const shown = "secret" in spec ? "(hidden)" : `"${value}"`;
      throw new ConfigError(
        `${found ?? key}=${shown} is not valid: ${parsed.error.issues[0].message}`,
      );
    }
    raw[key] = parsed.data;
  }
  return derive(raw as Raw);
}

function requireAll(group: string, values: Record<string, string>): void {
  const missing = Object.entries(values).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) {
    throw new ConfigError(`${missing.join(", ")} must be set to use ${group}`);
  }
}

function derive(raw: Raw): Settings {
  let databaseUrl: string | undefined = raw.DATABASE_URL || undefined;
  if (!databaseUrl && raw.POSTGRES_HOST) {
    const auth = raw.POSTGRES_PASSWORD
      ? `${encodeURIComponent(raw.POSTGRES_USER)}:${encodeURIComponent(raw.POSTGRES_PASSWORD)}`
      : encodeURIComponent(raw.POSTGRES_USER);
    databaseUrl = `postgres://${auth}@${raw.POSTGRES_HOST}:${raw.POSTGRES_PORT}/${
      encodeURIComponent(raw.POSTGRES_DB)
    }`;
  }
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// (got "${databaseUrl.split(":")[0]}:…")`,
    );
  }
  const smsProvider = raw.HATCH_SMS_PROVIDER || (raw.TWILIO_ACCOUNT_SID ? "twilio" : "sandbox");
  if (smsProvider === "twilio") {
    requireAll("Twilio", {
      TWILIO_ACCOUNT_SID: raw.TWILIO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: raw.TWILIO_AUTH_TOKEN,
      "TWILIO_PHONE_NUMBER or TWILIO_MESSAGING_SERVICE_SID": raw.TWILIO_PHONE_NUMBER ||
        raw.TWILIO_MESSAGING_SERVICE_SID,
    });
  }
  const emailProvider = raw.HATCH_EMAIL_PROVIDER ||
    (raw.SENDGRID_API_KEY ? "sendgrid" : raw.SMTP_URL ? "smtp" : "sandbox");
  if (emailProvider === "sendgrid") {
    requireAll("SendGrid", {
      SENDGRID_API_KEY: raw.SENDGRID_API_KEY,
      SENDGRID_FROM_EMAIL: raw.SENDGRID_FROM_EMAIL,
    });
  }
  if (emailProvider === "smtp") {
    requireAll("SMTP", { SMTP_URL: raw.SMTP_URL, SENDGRID_FROM_EMAIL: raw.SENDGRID_FROM_EMAIL });
  }
  const publicUrl = (raw.HATCH_PUBLIC_URL || `http://localhost:${raw.HATCH_PORT}`).replace(
    /\/$/,
    "",
  );
  return { ...raw, databaseUrl, smsProvider, emailProvider, publicUrl };
}

/** Loads and validates settings from the process's environment and files. */
export function loadSettings(env?: Source): Settings {
  return parseSettings(gatherSources(env));
}

/** The names of settings whose values must never be logged. */
export const SECRET_KEYS: readonly string[] = Object.entries(SETTINGS)
  .filter(([, v]) => "secret" in v && v.secret).map(([k]) => k);
