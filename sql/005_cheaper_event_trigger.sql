-- The event trigger without turning whole rows into JSON: sends spend a good part of
-- PostgreSQL's time here (a message row carries its body and its search vector). Same events,
-- same ordering lock, same wake-up.
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
    payload := jsonb_build_object('status', r.status, 'direction', r.direction, 'channel', r.channel);
  else
    conversation := r.conversation_id;
    payload := jsonb_build_object('status', r.status, 'direction', r.direction);
  end if;
  -- Held until commit: the next append waits, so ids commit in id order and a reader that
  -- has passed id N can never later find a smaller one.
  perform pg_advisory_xact_lock(7262019);
  insert into events (id, type, action, conversation_id, entity_id, payload)
  values (nextval('events_id_seq'), kind || '_update', tg_op, conversation, r.id, payload);
  -- Identical notifications in one transaction fold into one: a single wake-up per commit.
  perform pg_notify('hatch_events', '');
  return null;
end;
$$;
