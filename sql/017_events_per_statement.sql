-- Messages' and emails' events written once per statement, not once per row.
--
-- Until now each changed row ran hatch_append_event: a plpgsql call that called
-- hatch_write_event, which inserted one event and looked at the wake-up flag, three statements
-- of their own per row. The worker stores its outcomes ten or more at a time (one statement per
-- batch, lib/delivery/status_batch.ts), and each row paid for all of that. Now a statement's
-- changed rows reach one trigger call as transition tables and become their events in one
-- insert, with one look at the flag: measured with pgbench, an update of ten messages went from
-- 1,145–2,125 to 1,570–2,465 statements a second, and a one-row insert was no slower. The
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

-- One function per table: a transition table's rows are of type record, so each insert names
-- its table's fields. The three branches differ only in where the rows come from: inserted,
-- updated (those that changed) or deleted. xid defaults to pg_current_xact_id().
-- A message event carries what its bubble shows of a status change, so open tabs apply it
-- with no request.
create function hatch_message_events() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into events (id, type, action, conversation_id, entity_id, payload)
    select nextval('events_id_seq'), 'message_update', tg_op, r.conversation_id, r.id,
      jsonb_build_object('status', r.status, 'direction', r.direction,
        'channel', r.channel, 'error_code', r.error_code, 'error_message', r.error_message,
        'provider', r.provider, 'updated_at', r.updated_at)
    from new_rows r;
  elsif tg_op = 'UPDATE' then
    insert into events (id, type, action, conversation_id, entity_id, payload)
    select nextval('events_id_seq'), 'message_update', tg_op, r.conversation_id, r.id,
      jsonb_build_object('status', r.status, 'direction', r.direction,
        'channel', r.channel, 'error_code', r.error_code, 'error_message', r.error_message,
        'provider', r.provider, 'updated_at', r.updated_at)
    from new_rows r
    where not exists (select from old_rows o where o.id = r.id and o is not distinct from r);
  else
    insert into events (id, type, action, conversation_id, entity_id, payload)
    select nextval('events_id_seq'), 'message_update', tg_op, r.conversation_id, r.id,
      jsonb_build_object('status', r.status, 'direction', r.direction,
        'channel', r.channel, 'error_code', r.error_code, 'error_message', r.error_message,
        'provider', r.provider, 'updated_at', r.updated_at)
    from old_rows r;
  end if;
  if found then perform hatch_events_written(); end if;
  return null;
end;
$$;

create function hatch_email_events() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into events (id, type, action, conversation_id, entity_id, payload)
    select nextval('events_id_seq'), 'email_update', tg_op, r.conversation_id, r.id,
      jsonb_build_object('status', r.status, 'direction', r.direction)
    from new_rows r;
  elsif tg_op = 'UPDATE' then
    insert into events (id, type, action, conversation_id, entity_id, payload)
    select nextval('events_id_seq'), 'email_update', tg_op, r.conversation_id, r.id,
      jsonb_build_object('status', r.status, 'direction', r.direction)
    from new_rows r
    where not exists (select from old_rows o where o.id = r.id and o is not distinct from r);
  else
    insert into events (id, type, action, conversation_id, entity_id, payload)
    select nextval('events_id_seq'), 'email_update', tg_op, r.conversation_id, r.id,
      jsonb_build_object('status', r.status, 'direction', r.direction)
    from old_rows r;
  end if;
  if found then perform hatch_events_written(); end if;
  return null;
end;
$$;

drop trigger messages_event on messages;
create trigger messages_event_insert after insert on messages
  referencing new table as new_rows
  for each statement execute function hatch_message_events();
create trigger messages_event_update after update on messages
  referencing old table as old_rows new table as new_rows
  for each statement execute function hatch_message_events();
create trigger messages_event_delete after delete on messages
  referencing old table as old_rows
  for each statement execute function hatch_message_events();

drop trigger emails_event on emails;
create trigger emails_event_insert after insert on emails
  referencing new table as new_rows
  for each statement execute function hatch_email_events();
create trigger emails_event_update after update on emails
  referencing old table as old_rows new table as new_rows
  for each statement execute function hatch_email_events();
create trigger emails_event_delete after delete on emails
  referencing old table as old_rows
  for each statement execute function hatch_email_events();

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
