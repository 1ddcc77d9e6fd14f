import type { Sql } from "./db/connect.ts";
import type { Settings } from "./config.ts";
import type { EventHub } from "./realtime/hub.ts";
import type { SendBatch } from "./messages/send_batch.ts";
import type { ReportBatch } from "./messages/report_batch.ts";
import type { InboundBatch } from "./messages/inbound_batch.ts";

/** What every route and job can reach: the database, the settings and the event hub. */
export interface AppContext {
  sql: Sql;
  settings: Settings;
  hub: EventHub;
  /** Sends arriving together, stored in one statement on `sql`. */
  sends: SendBatch;
  /** Providers' status reports arriving together, stored together on `sql`. */
  reports: ReportBatch;
  /** Texts from customers arriving together, stored in one statement on `sql`. */
  inbound: InboundBatch;
}
