-- The webhook fan-out's cursor becomes a position in the event log's (xid, id) order, as the
-- live stream reads it (013): read by id alone, an event whose transaction committed after one
-- with a higher id was passed over and never sent.
alter table webhook_cursor add column last_event_xid bigint not null default 0;

-- Where the cursor stands: at its event's (xid, id). When that event has been pruned, just
-- before the oldest transaction of the events after it (some events of that transaction and
-- later ones may then be sent a second time, which beats skipping them), or at the newest event
-- when none came after it.
update webhook_cursor c set
  last_event_xid = coalesce(
    (select xid::text::bigint from events where id = c.last_event_id),
    (select xid::text::bigint from events where id > c.last_event_id order by xid, id limit 1),
    (select xid::text::bigint from events order by xid desc, id desc limit 1),
    0),
  last_event_id = case
    when exists (select 1 from events where id = c.last_event_id)
      or not exists (select 1 from events where id > c.last_event_id)
      then c.last_event_id
    else 0
  end;
