// Deliveries finish many at a time under load; written one by one, each outcome is a commit of
// its own and waits for its own flush of PostgreSQL's log. Gathered for a few milliseconds they
// share one statement and one commit, and each delivery resolves once that commit is made, so
// nothing is reported done before it is stored.
import { type Fragment, isDatabaseUnavailable, type Sql } from "@/lib/db/connect.ts";
import { statusChanges, type StatusUpdate, type ThreadTable } from "@/lib/db/thread.ts";
import { logger } from "@/lib/log.ts";
import { type JobPayloads, jobsSelect } from "./jobs.ts";

const log = logger("delivery");

/** One outcome to store: a row's new status, and the status changes to apply later. */
export interface Outcome {
  table: ThreadTable;
  id: string;
  update: StatusUpdate;
  /** Later changes (a sandbox's `delivered`): an apply_status job at its time. */
  followUps?: { status: string; afterMs: number }[];
}

interface Waiting {
  outcome: Outcome;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Gathers outcomes for `delayMs` (or until `max`) and stores them together. */
export class StatusBatch {
  #waiting: Waiting[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly options: { delayMs: number; max: number },
  ) {}

  /** Stores the outcome with the others of its batch; resolves once they are committed. */
  write(outcome: Outcome): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ outcome, resolve, reject });
      if (this.#waiting.length >= this.options.max) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.options.delayMs);
    });
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#waiting;
    this.#waiting = [];
    store(this.sql, batch.map((w) => w.outcome)).then(
      () => batch.forEach((w) => w.resolve()),
      async (e) => {
        // A database that cannot be reached fails them all at once (they are retried later),
        // rather than each waiting out its own timeout.
        if (batch.length === 1 || isDatabaseUnavailable(e)) {
          return batch.forEach((w) => w.reject(e));
        }
        // One bad outcome must not fail the others (each failure is a delivery sent again):
        // store them one by one, so only the one that cannot be stored fails.
        log.warn("Storing {count} delivery outcomes together failed, one by one now: {error}", {
          count: batch.length,
          error: String(e),
        });
        for (const w of batch) {
          await store(this.sql, [w.outcome]).then(w.resolve, w.reject);
        }
      },
    );
  }
}

// One statement, so one round trip and no transaction left open between statements: the rows
// it locks and the xid it holds (which holds back every later event, lib/realtime/event_log.ts)
// are released at its commit, not after the next turns of a busy event loop.
async function store(sql: Sql, outcomes: Outcome[]): Promise<void> {
  const steps: Fragment[] = [];
  for (const table of ["messages", "emails"] as const) {
    const changes = outcomes.filter((o) => o.table === table);
    if (changes.length) steps.push(statusChanges(sql, table, changes, `${table}_changed`));
  }
  const later = followUpJobs(outcomes);
  // A select in `with` runs only when read, so the job count is read.
  if (later.length) steps.push(sql`follow_ups as (${jobsSelect(sql, "apply_status", later)})`);
  if (!steps.length) return;
  await sql`with ${steps.reduce((all, step) => sql`${all}, ${step}`)}
    select ${later.length ? sql`(select count(*) from follow_ups)` : sql`0`} as jobs`;
}

// One job per later change for the whole batch (the rows that move together), not one per row:
// a job is three writes of its own (added, taken, done).
function followUpJobs(outcomes: Outcome[]) {
  const now = Date.now();
  const later = new Map<string, { payload: JobPayloads["apply_status"]; runAt: Date }>();
  for (const o of outcomes) {
    for (const f of o.followUps ?? []) {
      const key = `${o.table} ${f.status} ${f.afterMs}`;
      const job = later.get(key) ?? {
        payload: { kind: o.table === "messages" ? "message" : "email", status: f.status, ids: [] },
        runAt: new Date(now + f.afterMs),
      };
      job.payload.ids!.push(o.id);
      later.set(key, job);
    }
  }
  return [...later.values()];
}
