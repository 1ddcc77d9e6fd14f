-- The event log without a cluster-wide lock held to commit.
--
-- Until now hatch_append_event took one advisory lock and held it until commit, so event ids
-- committed in id order and a reader could follow `id > position`. That made every transaction
-- that writes an event (each send and each status change) commit one at a time, whatever the
-- number of app processes, and kept group commit from batching their flushes.
--
-- Now each event records its transaction's id (`xid`), and readers take events in (xid, id)
-- order, only those whose xid is below a horizon: every transaction below it that could write
-- to this database's `events` has ended, so that part of the log is final and nothing can ever be
-- added before a position a reader has passed. Commits are no longer serialised. The price: a
-- writing transaction of this database that stays open holds back the delivery of events
-- committed after it began, until it ends; the hub logs the one holding it back.
--
-- Events from before this migration keep xid 0: they were committed in id order under the old
-- lock, and sort before every new one.
alter table events add column xid xid8 not null default '0';
alter table events alter column xid set default pg_current_xact_id();
create index events_xid_id_idx on events (xid, id);

-- The horizon. pg_snapshot_xmin(pg_current_snapshot()) is the cluster's: one long writing
-- transaction in any other database of the same server (a bulk load, a migration) would hold
-- every live event back. This one leaves out the transactions of the snapshot that are known to
-- belong to another database (pg_stat_activity, pg_prepared_xacts); an xid it cannot place —
-- say one that ended between the snapshot and the look-up — still counts, which is only ever
-- more cautious. Same snapshot as the calling statement (a stable SQL function), so the events
-- below the horizon are exactly those the statement sees. It costs a look at every backend's
-- status, so the hub uses it only once the cheap cluster horizon lags (lib/realtime/hub.ts).
create function hatch_event_horizon() returns xid8 language sql stable as $$
  select coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
  from pg_snapshot_xip(pg_current_snapshot()) as x
  where (x::text::bigint % 4294967296) not in (
    select a.backend_xid::text::bigint from pg_stat_get_activity(null) as a
    where a.backend_xid is not null
      and a.datid <> (select oid from pg_database where datname = current_database())
    union all
    select p.transaction::text::bigint from pg_prepared_xacts as p
    where p.database <> current_database())
$$;

-- Wake-ups without a NOTIFY per commit when busy. A NOTIFY takes the notification queue's
-- global lock at commit; while a hub is polling (events keep arriving) it needs none. A hub
-- that finds the log idle sets this flag to 1 ("armed") and reads once more; the first append
-- that sees it armed clears it and notifies, and later appends skip NOTIFY until a hub arms it
-- again. Unlogged and non-transactional: no WAL, no row lock, visible to every session at once;
-- after a crash it comes back armed (its start value), which only costs a spare wake-up.
create unlogged sequence hatch_events_wake as smallint minvalue 0 maxvalue 1 start 1;

create or replace function hatch_append_event() returns trigger language plpgsql as $$
declare
  kind text := tg_argv[0];
  r record;
  conversation uuid;
  payload jsonb;
begin
  if tg_op = 'UPDATE' and old is not distinct from new then
    return null;
  end if;
  if tg_op = 'DELETE' then r := old; else r := new; end if;
  -- plpgsql compiles this function once per table, so each branch reads its own table's fields.
  if kind = 'conversation' then
    conversation := r.id;
    payload := jsonb_build_object('channel', r.channel);
  elsif kind = 'message' then
    conversation := r.conversation_id;
    -- What a message bubble shows of a status change, so open tabs apply it with no request.
    payload := jsonb_build_object('status', r.status, 'direction', r.direction, 'channel', r.channel,
      'error_code', r.error_code, 'error_message', r.error_message, 'provider', r.provider,
      'updated_at', r.updated_at);
  else
    conversation := r.conversation_id;
    payload := jsonb_build_object('status', r.status, 'direction', r.direction);
  end if;
  -- xid defaults to pg_current_xact_id(): the transaction's id, assigned by now.
  insert into events (id, type, action, conversation_id, entity_id, payload)
  values (nextval('events_id_seq'), kind || '_update', tg_op, conversation, r.id, payload);
  -- Checked after the insert, so this transaction's xid already exists: a hub that arms the
  -- flag after this check reads with a snapshot whose xmax is above it, and keeps polling until
  -- the horizon passes it (lib/realtime/hub.ts).
  if (select last_value from hatch_events_wake) = 1 then
    perform setval('hatch_events_wake', 0);
    perform pg_notify('hatch_events', '');
  end if;
  return null;
end;
$$;

-- Notes' events (sql/009) the same way: no lock, a NOTIFY only for a waiting hub.
create or replace function hatch_note_event() returns trigger language plpgsql as $$
declare
  r record;
begin
  if tg_op = 'DELETE' then r := old; else r := new; end if;
  insert into events (id, type, action, conversation_id, entity_id, payload)
  values (nextval('events_id_seq'), 'note_update', tg_op, r.conversation_id, r.id,
    jsonb_build_object('kind', r.kind, 'mentions', array_to_string(r.mentions, ',')));
  if (select last_value from hatch_events_wake) = 1 then
    perform setval('hatch_events_wake', 0);
    perform pg_notify('hatch_events', '');
  end if;
  return null;
end;
$$;
