-- Messages' and emails' events written once per statement, not once per row.
--
-- Until now each changed row ran hatch_append_event: a plpgsql call that called
-- hatch_write_event, which inserted one event and looked at the wake-up flag, three statements
-- of their own per row. The worker stores its outcomes ten or more at a time (one statement per
-- batch, lib/delivery/status_batch.ts), and each row paid for all of that. Now a statement's
-- changed rows reach one trigger call as transition tables and become their events in one
-- insert, with one look at the flag: measured with pgbench (one client), an update of ten
-- messages took 0.81–0.88 ms instead of 0.92–1.07, and a one-row insert was no slower. The
-- events are the same, column for column, in the order the rows changed; an update that
-- changes nothing still writes none.
--
-- Conversations keep their row trigger: their rows change one at a time (a send's upsert, a
-- team change), and an upsert would run two statement triggers (insert and update) for one row,
-- which measured no faster.
--
-- PostgreSQL allows transition tables on one event per trigger: three triggers a table.

-- After a statement wrote events: wakes a waiting hub (sql/013 says how; hatch_write_event,
-- sql/016, does the same for one row). Called after the insert, so this transaction's xid
-- already exists.
create function hatch_events_written() returns void language plpgsql as $$
begin
  if (select last_value from hatch_events_wake) = 1 then
    perform setval('hatch_events_wake', 0);
    perform pg_notify('hatch_events', '');
  end if;
end;
$$;

-- Which rows a statement changed: a trigger's `changed` table holds the inserted, the updated (as
-- they are now) or the deleted rows; an update's trigger also has them as they were (`before`), to
-- leave out those it left as they were. A transition table's rows are of type record, so each
-- table's insert names its own fields; plpgsql compiles this function once per trigger, and
-- plans only the insert of the table it fires on. xid defaults to pg_current_xact_id().
create function hatch_thread_events() returns trigger language plpgsql as $$
declare
  unchanged uuid[];
begin
  if tg_op = 'UPDATE' then
    select array_agg(r.id) into unchanged
    from changed r join before o on o.id = r.id where o is not distinct from r;
  end if;
  if tg_table_name = 'messages' then
    -- What a message bubble shows of a status change, so open tabs apply it with no request.
    insert into events (id, type, action, conversation_id, entity_id, payload)
    select nextval('events_id_seq'), 'message_update', tg_op, r.conversation_id, r.id,
      jsonb_build_object('status', r.status, 'direction', r.direction, 'channel', r.channel,
        'error_code', r.error_code, 'error_message', r.error_message, 'provider', r.provider,
        'updated_at', r.updated_at)
    from changed r
    where unchanged is null or r.id not in (select unnest(unchanged));
  else
    insert into events (id, type, action, conversation_id, entity_id, payload)
    select nextval('events_id_seq'), 'email_update', tg_op, r.conversation_id, r.id,
      jsonb_build_object('status', r.status, 'direction', r.direction)
    from changed r
    where unchanged is null or r.id not in (select unnest(unchanged));
  end if;
  if found then perform hatch_events_written(); end if;
  return null;
end;
$$;

drop trigger messages_event on messages;
create trigger messages_event_insert after insert on messages
  referencing new table as changed
  for each statement execute function hatch_thread_events();
create trigger messages_event_update after update on messages
  referencing old table as before new table as changed
  for each statement execute function hatch_thread_events();
create trigger messages_event_delete after delete on messages
  referencing old table as changed
  for each statement execute function hatch_thread_events();

drop trigger emails_event on emails;
create trigger emails_event_insert after insert on emails
  referencing new table as changed
  for each statement execute function hatch_thread_events();
create trigger emails_event_update after update on emails
  referencing old table as before new table as changed
  for each statement execute function hatch_thread_events();
create trigger emails_event_delete after delete on emails
  referencing old table as changed
  for each statement execute function hatch_thread_events();

-- The row trigger now only serves conversations. It and notes' trigger (sql/016) still write
-- through hatch_write_event, which keeps its own copy of the wake-up check: routing it through
-- hatch_events_written would cost every send one more plpgsql call.
create or replace function hatch_append_event() returns trigger language plpgsql as $$
declare
  r record;
begin
  if tg_op = 'UPDATE' and old is not distinct from new then
    return null;
  end if;
  if tg_op = 'DELETE' then r := old; else r := new; end if;
  perform hatch_write_event('conversation_update', tg_op, r.id, r.id,
    jsonb_build_object('channel', r.channel));
  return null;
end;
$$;
