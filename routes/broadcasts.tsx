// Broadcasts: one text to many contacts, previewed, paced, and followed live.
import { define, page } from "@/lib/web/define.ts";
import type { Broadcast } from "@/lib/broadcasts/schemas.ts";
import { listBroadcasts } from "@/lib/broadcasts/service.ts";
import { latestEventId } from "@/lib/pages/common.ts";
import { zoneFromCookie } from "@/lib/shared/time.ts";
import { SettingsFrame } from "@/components/SettingsFrame.tsx";
import Broadcasts from "@/islands/Broadcasts.tsx";
import ContactImport from "@/islands/ContactImport.tsx";

interface BroadcastsData {
  broadcasts: Broadcast[];
  csrfToken: string | null;
  timeZone: string;
  after: string;
}

export const handler = define.handlers({
  async GET(c) {
    const { sql } = c.var.app;
    const [after, broadcasts] = await Promise.all([latestEventId(sql), listBroadcasts(sql)]);
    return page<BroadcastsData>({
      broadcasts,
      csrfToken: c.var.principal.csrfToken ?? null,
      timeZone: zoneFromCookie(c.req.header("cookie")),
      after,
    });
  },
});

export default define.page<BroadcastsData>(({ data }) => (
  <SettingsFrame
    title="Broadcasts"
    lead="One text to many contacts, each in their own conversation. Texts go out at your number's rate, replies go first, opted-out numbers are skipped, and marketing waits for 8:00–21:00 in each recipient's time zone."
  >
    <section class="card">
      <div class="card-body">
        <Broadcasts
          broadcasts={data.broadcasts}
          csrfToken={data.csrfToken}
          timeZone={data.timeZone}
          after={data.after}
        />
      </div>
    </section>
    <section class="card" id="import">
      <header class="card-head">
        <h2>Import contacts</h2>
        <p class="muted">
          From a CSV: numbers are normalised, rows matching a contact by phone or email are merged
          into it, and the labels you give choose them for a broadcast.
        </p>
      </header>
      <div class="card-body">
        <ContactImport csrfToken={data.csrfToken} />
      </div>
    </section>
  </SettingsFrame>
));
