-- Events are only ever looked up by id and by (xid, id); their creation time only decides which
-- ones the daily prune deletes. A B-tree on it cost every event an index entry (four per SMS
-- sent); a BRIN index, for a column that grows with the table, costs almost nothing to keep and
-- still leads the prune to the old rows. WAL per message sent, bench/realtime.ts: 7.6 KiB before,
-- 7.3–7.4 after.
drop index events_created_idx;
create index events_created_brin on events using brin (created_at);
