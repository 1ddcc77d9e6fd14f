// Providers' status reports arrive as webhooks, two or more for every message handed over: at a
// thousand messages a second, each stored in its own transaction would be thousands of commits a
// second on top of the sends. Reports that arrive while others are being stored are stored
// together (applyProviderReports: two round trips, one commit, for all of them).
import type { Sql } from "@/lib/db/connect.ts";
import { Batcher } from "@/lib/delivery/batcher.ts";
import { logger } from "@/lib/log.ts";
import { applyProviderReports, type ProviderReport } from "./status.ts";

const log = logger("status");

/** Gathers reports while one batch is being stored; each resolves once its batch committed. */
export class ReportBatch extends Batcher<ProviderReport, boolean> {
  constructor(sql: Sql, options = { inFlight: 1, max: 200 }) {
    super((reports) => applyProviderReports(sql, reports), {
      ...options,
      split: { log, what: "provider reports" },
    });
  }

  /** Applies the report with the others of its batch: whether its message moved. */
  apply(report: ProviderReport): Promise<boolean> {
    return this.add(report);
  }
}
