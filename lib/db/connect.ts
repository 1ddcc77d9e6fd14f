// The database handle every service takes first: tagged-template SQL over node-postgres' pool.
//
// Why pg and not postgres.js: postgres.js 3.4.9 can write a transaction's BEGIN without
// reserving its connection (porsager/postgres #1189, #823), hand a transaction's later work to the
// replacement connection after a disconnect (#1216), and leaves a pooled connection `idle in
// transaction` when that happens — sends answered 202 were then never committed. node-postgres
// runs one statement at a time on a client that is checked out for the whole transaction and
// never reconnects behind its owner's back, and this module refuses to pool any client that comes
// back inside a transaction. Every wait is bounded: acquiring a connection, connecting, and each
// statement, so an outage answers within seconds instead of queueing work that runs later.
// @ts-types="@types/pg"
import pg from "pg";
import { observePoolWait } from "@/lib/metrics/registry.ts";
import { DatabaseUnavailableError } from "@/lib/errors.ts";
import { READ_TIMEOUT_MESSAGE, ReadDeadlines } from "@/lib/db/read_deadline.ts";

/** A row as the database returns it; columns are typed where a query says so. */
// deno-lint-ignore no-explicit-any -- a row's columns are whatever the query selected
export type Row = Record<string, any>;

/** What a query resolves to: its rows, plus the number of rows it returned or changed. */
export type Result<T extends readonly object[]> = T & { count: number; command: string };

/** A value a template may interpolate: a parameter, a fragment, or an identifier list. */
export type Value =
  | string
  | number
  | boolean
  | bigint
  | Date
  | null
  | Uint8Array
  | readonly (string | number | boolean | bigint | Date | null)[]
  | Fragment
  | Parameter;

/** A piece of SQL with its parameters, to be placed inside another query. */
export class Fragment {
  constructor(readonly strings: readonly string[], readonly values: readonly Value[]) {}
}

/** A parameter sent as it is given (JSON text), not converted by the driver. */
export class Parameter {
  constructor(readonly text: string) {}
}

type Run = (text: string, values: unknown[]) => Promise<pg.QueryResult>;

/** A query: a fragment that runs when awaited (once, however often it is awaited). */
export class Query<T extends readonly object[] = Row[]> extends Fragment
  implements PromiseLike<Result<T>> {
  #run: Run;
  #promise?: Promise<Result<T>>;

  constructor(strings: readonly string[], values: readonly Value[], run: Run) {
    super(strings, values);
    this.#run = run;
  }

  #execute(): Promise<Result<T>> {
    this.#promise ??= (async () => {
      const { text, params } = compile(this);
      const result = await this.#run(text, params);
      // A multi-statement text (migrations) answers with one result per statement.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      const rows = (last?.rows ?? []) as unknown as T;
      return Object.assign(rows, {
        count: last?.rowCount ?? rows.length,
        command: last?.command ?? "",
      }) as Result<T>;
    })();
    return this.#promise;
  }

  then<A = Result<T>, B = never>(
    onfulfilled?: ((value: Result<T>) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#execute().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected: (reason: unknown) => B | PromiseLike<B>): Promise<Result<T> | B> {
    return this.#execute().catch(onrejected);
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Flattens nested fragments into one text with `$n` placeholders and its parameter list. */
export function compile(fragment: Fragment): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const walk = (f: Fragment): string => {
    let text = f.strings[0];
    f.values.forEach((value, i) => {
      text += place(value) + f.strings[i + 1];
    });
    return text;
  };
  const place = (value: Value | undefined): string => {
    if (value === undefined) {
      throw new TypeError("A query parameter is undefined: pass null for a missing value");
    }
    if (value instanceof Fragment) return walk(value);
    if (value instanceof Parameter) {
      params.push(value.text);
      return `$${params.length}`;
    }
    params.push(value);
    return `$${params.length}`;
  };
  return { text: walk(fragment), params };
}

/** The query functions shared by the pool and a transaction. */
export interface Tx {
  <T extends readonly object[] = Row[]>(
    strings: TemplateStringsArray,
    ...values: Value[]
  ): Query<T>;
  /** Quoted identifiers (a table, or a comma-separated column list). */
  (identifiers: string | readonly string[]): Fragment;
  /** A JSON parameter (a plain array would otherwise become a PostgreSQL array). */
  json(value: unknown): Parameter;
  /** SQL text as is: runs when awaited, or is placed as is inside another query. */
  unsafe<T extends readonly object[] = Row[]>(text: string, values?: Value[]): Query<T>;
  /**
   * Runs `fn` in a transaction; on the pool it opens one (commit if `fn` resolves, else roll
   * back), inside a transaction it joins the caller's, so a service may be called either way.
   */
  begin<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

/** A reserved connection (tests use it to hold locks); `release()` returns it. */
export interface Reserved extends Tx {
  release(): void;
}

/** The pool: queries, transactions, and how to end it. */
export interface Sql extends Tx {
  /** Checks out one connection until `release()`. */
  reserve(): Promise<Reserved>;
  /** Closes every connection, waiting up to `timeout` seconds for queries in flight. */
  end(options?: { timeout?: number }): Promise<void>;
  /** The node-postgres pool underneath (for its counters). */
  readonly pool: pg.Pool;
  /** The URL the pool connects to (a LISTEN needs a connection of its own). */
  readonly url: string;
}

type Base = Omit<Tx, "begin">;

function makeTx<S extends Tx>(run: Run, extra: Omit<S, keyof Base>): S {
  const tag = (first: TemplateStringsArray | string | readonly string[], ...values: Value[]) => {
    if (typeof first === "string") return new Fragment([quoteIdentifier(first)], []);
    if (!("raw" in first)) {
      return new Fragment([first.map(quoteIdentifier).join(", ")], []);
    }
    return new Query(first, values, run);
  };
  return Object.assign(tag, {
    json: (value: unknown) => new Parameter(JSON.stringify(value)),
    // The text goes as it is; its own `$n` placeholders take `values`.
    unsafe: (text: string, values: Value[] = []) =>
      new Query([text], [], (sqlText) => run(sqlText, values)),
    ...extra,
  }) as unknown as S;
}

/** Connection-level failures: the database is down, restarting, or too slow to answer. */
const UNAVAILABLE_CODES = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down, in recovery)
  "57014", // query_canceled: the statement timeout
  "53300", // too_many_connections
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
]);

/** True when `e` says the database could not be reached or did not answer in time. */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (e instanceof DatabaseUnavailableError) return true;
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: string }).code ?? "";
  if (UNAVAILABLE_CODES.has(code) || code.startsWith("08")) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|not queryable|Connection refused|connect ECONNREFUSED/i
    .test(e.message);
}

function unavailable(e: unknown): unknown {
  return isDatabaseUnavailable(e) && !(e instanceof DatabaseUnavailableError)
    ? new DatabaseUnavailableError(e instanceof Error ? e.message : String(e))
    : e;
}

async function acquire(pool: pg.Pool): Promise<pg.PoolClient> {
  const began = performance.now();
  try {
    const client = await pool.connect();
    observePoolWait((performance.now() - began) / 1000);
    return client;
  } catch (e) {
    throw unavailable(e);
  }
}

// Clients whose statement outlived the read timeout: the server may still be running it.
const abandoned = new WeakSet<pg.PoolClient>();

// A client is pooled again only if it is idle outside any transaction; anything else (a BEGIN
// without its COMMIT, a broken connection, a statement still running) is closed so no later
// statement can run inside it or queue behind it.
function release(client: pg.PoolClient): void {
  const status = client.getTransactionStatus();
  const reusable = status === "I" && !abandoned.has(client);
  client.release(reusable ? undefined : new Error(`Connection not reusable (state ${status})`));
}

// Statements with parameters are prepared once per connection under a name made from their
// text, as postgres.js did: PostgreSQL then parses and plans each only once (unnamed statements
// cost it a quarter more CPU per send in the realtime bench). Texts without parameters may hold
// several statements (migrations), which cannot be prepared.
const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    // FNV-1a twice (two seeds): 64 bits, so two texts never meet under one name in practice.
    let a = 0x811c9dc5, b = 0x01000193 ^ text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    name = `h${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}`;
    if (names.size < 10_000) names.set(text, name);
  }
  return name;
}

/**
 * Runs one query through node-postgres' callback form: its promise form (8.x) also kept each
 * answer reachable after it resolved (README, "Page tails").
 */
function runQuery(client: pg.PoolClient, config: pg.QueryConfig): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) =>
    client.query(config, (error, result) => error ? reject(error) : resolve(result))
  );
}

function clientRun(
  client: pg.PoolClient,
  deadlines: ReadDeadlines | undefined,
  onQuery?: ConnectOptions["onQuery"],
): Run {
  return async (text, values) => {
    onQuery?.(text, values);
    try {
      const answer = runQuery(
        client,
        values.length ? { name: statementName(text), text, values } : { text, values },
      );
      return await (deadlines ? deadlines.watch(answer) : answer);
    } catch (e) {
      if (e instanceof Error && e.message === READ_TIMEOUT_MESSAGE) abandoned.add(client);
      throw unavailable(e);
    }
  };
}

/** Options of a pool; the timeouts bound every wait so an outage answers within seconds. */
export interface ConnectOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** Milliseconds to wait for a connection, connecting included (default 5,000). */
  acquireTimeoutMs?: number;
  /** Milliseconds a statement may run before PostgreSQL cancels it; 0 for none (default 5,000). */
  statementTimeoutMs?: number;
  /** Sees every statement sent (the scale bench EXPLAINs what the services ran). */
  onQuery?: (text: string, params: unknown[]) => void;
}

/** Opens a pool to `url`: tagged-template queries, transactions, bounded waits. */
export function connect(url: string, options: ConnectOptions = {}): Sql {
  const statementTimeout = options.statementTimeoutMs ?? 5_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.acquireTimeoutMs ?? 5_000,
    idleTimeoutMillis: 60_000,
    application_name: "hatch",
    keepAlive: true,
    // The server cancels a slow statement; the client gives up a little later should the
    // server not answer at all (a network partition), and that connection is then closed.
    statement_timeout: statementTimeout || undefined,
    // A transaction whose owner vanished must not hold its locks for long.
    idle_in_transaction_session_timeout: 30_000,
  });
  // A connection that drops (a restart) fails the statement in flight, which tells its caller,
  // and the pool discards it; unhandled, the client's own 'error' event would end the process.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const deadlines = statementTimeout ? new ReadDeadlines(statementTimeout + 2_000) : undefined;

  const poolRun: Run = async (text, values) => {
    const client = await acquire(pool);
    try {
      return await clientRun(client, deadlines, options.onQuery)(text, values);
    } finally {
      release(client);
    }
  };

  return makeTx<Sql>(poolRun, {
    pool,
    url,
    async begin<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      const client = await acquire(pool);
      const run = clientRun(client, deadlines, options.onQuery);
      try {
        await run("begin", []);
        const tx: Tx = makeTx<Tx>(run, { begin: <U>(inner: (tx: Tx) => Promise<U>) => inner(tx) });
        const result = await fn(tx);
        const commit = await run("commit", []);
        // COMMIT of a transaction a swallowed error had aborted answers ROLLBACK, not an error.
        if (commit.command !== "COMMIT") {
          throw new Error("The transaction was rolled back: one of its statements failed");
        }
        return result;
      } catch (e) {
        if (client.getTransactionStatus() !== "I") await run("rollback", []).catch(() => {});
        throw e;
      } finally {
        release(client);
      }
    },
    async reserve(): Promise<Reserved> {
      const client = await acquire(pool);
      let released = false;
      const reserved: Reserved = makeTx<Reserved>(clientRun(client, deadlines, options.onQuery), {
        begin: () => Promise.reject(new Error("A reserved connection runs its own BEGIN")),
        release: () => {
          if (released) return;
          released = true;
          release(client);
        },
      });
      return reserved;
    },
    async end(endOptions: { timeout?: number } = {}): Promise<void> {
      deadlines?.stop();
      const ending = pool.end();
      if (endOptions.timeout === undefined) return await ending;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        ending,
        new Promise<void>((resolve) => timer = setTimeout(resolve, endOptions.timeout! * 1000)),
      ]);
      clearTimeout(timer);
    },
  });
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
