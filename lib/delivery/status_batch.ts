// Deliveries finish many at a time under load; written one by one, each outcome is a commit of
// its own and waits for its own flush of PostgreSQL's log. Gathered for a few milliseconds
// (./batcher.ts) they share one statement and one commit, and each delivery resolves once that
// commit is made, so nothing is reported done before it is stored.
import type { Fragment, Sql } from "@/lib/db/connect.ts";
import { statusChanges, type StatusUpdate, type ThreadTable } from "@/lib/db/thread.ts";
import { logger } from "@/lib/log.ts";
import { type JobPayloads, jobsSelect } from "./jobs.ts";
import { Batcher } from "./batcher.ts";

const log = logger("delivery");

/** One outcome to store: a row's new status, and the status changes to apply later. */
export interface Outcome {
  table: ThreadTable;
  id: string;
  update: StatusUpdate;
  /** Later changes (a sandbox's `delivered`): an apply_status job at its time. */
  followUps?: { status: string; afterMs: number }[];
}

/** Gathers outcomes for `delayMs` (or until `max`) and stores them together. */
export class StatusBatch extends Batcher<Outcome, void> {
  constructor(sql: Sql, options: { delayMs: number; max: number }) {
    super((outcomes) => store(sql, outcomes).then(() => []), {
      ...options,
      split: { log, what: "delivery outcomes" },
    });
  }

  /** Stores the outcome with the others of its batch; resolves once they are committed. */
  write(outcome: Outcome): Promise<void> {
    return this.add(outcome);
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
    select ${later.length ? sql`(select count from follow_ups)` : sql`0`} as jobs`;
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
