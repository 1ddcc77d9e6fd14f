import postgres from "postgres";

/** The postgres.js handle every service takes first. */
export type Sql = postgres.Sql;
/** A handle inside a transaction; services accept either. */
export type Tx = postgres.TransactionSql | postgres.Sql;

/** Opens a pool to `url`; `max` connections, notices silenced, JSON parsed. */
export function connect(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: "hatch" },
    idle_timeout: 60,
  });
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
