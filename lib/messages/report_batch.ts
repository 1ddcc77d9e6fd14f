// Providers' status reports arrive as webhooks, two or more for every message handed over: at a
// thousand messages a second, each stored in its own transaction would be thousands of commits a
// second on top of the sends. Reports that arrive while others are being stored are stored
// together (applyProviderReports: two round trips, one commit, for all of them).
import type { Sql } from "@/lib/db/connect.ts";
import { StoreBatch } from "@/lib/delivery/batcher.ts";
import { logger } from "@/lib/log.ts";
import { applyProviderReports, type ProviderReport } from "./status.ts";

const log = logger("status");

/** Gathers reports while one batch is being stored; each resolves once its batch committed. */
export class ReportBatch extends StoreBatch<ProviderReport, boolean> {
  constructor(sql: Sql, options: { inFlight?: number; max?: number } = {}) {
    super(sql, applyProviderReports, {
      max: 200,
      ...options,
      // Each report that fails is answered with an error, and the provider retries it.
      split: { log, what: "provider reports" },
    });
  }
}
