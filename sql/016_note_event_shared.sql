-- Notes' events written by the same function as every other event.
--
-- hatch_note_event (sql/009, then sql/013) carried its own copy of what hatch_append_event does
-- after choosing an event's fields: the insert into the log and the wake-up for a waiting hub.
-- Two copies drift (sql/013 had to change both). hatch_write_event is that part, once; both
-- triggers choose their fields and call it. The events they write are the same as before, column
-- for column: what each trigger skips (an update that changes nothing, for all but notes) and
-- puts in the payload stays in the trigger.
create function hatch_write_event(
  event_type text,
  event_action text,
  conversation uuid,
  entity uuid,
  body jsonb
) returns void language plpgsql as $$
begin
  -- xid defaults to pg_current_xact_id(): the transaction's id, assigned by now.
  insert into events (id, type, action, conversation_id, entity_id, payload)
  values (nextval('events_id_seq'), event_type, event_action, conversation, entity, body);
  -- Checked after the insert, so this transaction's xid already exists: a hub that arms the
  -- flag after this check reads with a snapshot whose xmax is above it, and keeps polling until
  -- the horizon passes it (lib/realtime/hub.ts).
  if (select last_value from hatch_events_wake) = 1 then
    perform setval('hatch_events_wake', 0);
    perform pg_notify('hatch_events', '');
  end if;
end;
$$;

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
  perform hatch_write_event(kind || '_update', tg_op, conversation, r.id, payload);
  return null;
end;
$$;

-- Whom a note mentions rides in its payload, for notifications.
create or replace function hatch_note_event() returns trigger language plpgsql as $$
declare
  r record;
begin
  if tg_op = 'DELETE' then r := old; else r := new; end if;
  perform hatch_write_event('note_update', tg_op, r.conversation_id, r.id,
    jsonb_build_object('kind', r.kind, 'mentions', array_to_string(r.mentions, ',')));
  return null;
end;
$$;
