-- What a batch of sends costs per row inside its one statement, cut where it was plpgsql called
-- once per row.
--
-- 1. Conversations' events once per statement. A batch of sends upserts one conversation row per
--    conversation in one statement (lib/messages/send_batch.ts), and each row ran
--    hatch_append_event and hatch_write_event: two plpgsql calls and their statements, measured
--    at ~64 µs a row (an update of 47 conversations: 4.8–6.2 ms with the row trigger, 1.8–2.6
--    without). Now the statement's changed rows reach one call per kind of change as transition
--    tables, as messages' and emails' do since sql/017. An upsert fires both the insert and the
--    update trigger, each with its own rows. The events are the same, column for column; an
--    update that leaves a row as it was still writes none.
--
-- 2. Many jobs in one insert. hatch_add_job (sql/014, sql/018) adds one job per call: ~85 µs a
--    job against ~17 µs a row for one insert of many. hatch_add_jobs adds a list of them, in its
--    order (job ids ascending), with one look at the wake-up flag; the same rows as
--    graphile-worker's add_job, column for column (tests/delivery/add_job_test.ts).
--    hatch_add_job is now a list of one.

create function hatch_conversation_events() returns trigger language plpgsql as $$
declare
  unchanged uuid[];
begin
  if tg_op = 'UPDATE' then
    select array_agg(r.id) into unchanged
    from changed r join before o on o.id = r.id where o is not distinct from r;
  end if;
  insert into events (id, type, action, conversation_id, entity_id, payload)
  select nextval('events_id_seq'), 'conversation_update', tg_op, r.id, r.id,
    jsonb_build_object('channel', r.channel)
  from changed r
  where unchanged is null or r.id not in (select unnest(unchanged));
  if found then perform hatch_events_written(); end if;
  return null;
end;
$$;

drop trigger conversations_event on conversations;
create trigger conversations_event_insert after insert on conversations
  referencing new table as changed
  for each statement execute function hatch_conversation_events();
create trigger conversations_event_update after update on conversations
  referencing old table as before new table as changed
  for each statement execute function hatch_conversation_events();
create trigger conversations_event_delete after delete on conversations
  referencing old table as changed
  for each statement execute function hatch_conversation_events();

create function hatch_add_jobs(
  identifier text,
  payloads json[],
  run_ats timestamptz[] default null,
  queue_name text default null,
  max_attempts integer default null
) returns integer language plpgsql as $$
declare
  added integer := 0;
begin
  if coalesce(cardinality(payloads), 0) = 0 then
    return 0;
  end if;
  for attempt in 1..2 loop
    insert into graphile_worker._private_jobs (job_queue_id, task_id, payload, run_at,
      max_attempts, priority)
    select job_queues.id, tasks.id, coalesce(j.payload, '{}'::json),
      coalesce(j.run_at, now()), coalesce(hatch_add_jobs.max_attempts, 25), 0
    from unnest(payloads, run_ats) with ordinality as j(payload, run_at, n)
    join graphile_worker._private_tasks as tasks on tasks.identifier = hatch_add_jobs.identifier
    left join graphile_worker._private_job_queues as job_queues
      on job_queues.queue_name = hatch_add_jobs.queue_name
    where hatch_add_jobs.queue_name is null or job_queues.id is not null
    order by j.n;
    get diagnostics added = row_count;
    exit when added > 0;
    -- The first job of this task or queue: make them (another transaction may at once).
    insert into graphile_worker._private_tasks (identifier)
    values (hatch_add_jobs.identifier) on conflict do nothing;
    if hatch_add_jobs.queue_name is not null then
      insert into graphile_worker._private_job_queues (queue_name)
      values (hatch_add_jobs.queue_name) on conflict do nothing;
    end if;
  end loop;
  if added = 0 then
    raise exception 'Could not add "%" jobs', hatch_add_jobs.identifier;
  end if;
  if (select last_value from hatch_jobs_wake) = 1 then
    perform setval('hatch_jobs_wake', 0);
    perform pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":' || added || '}');
  end if;
  return added;
end;
$$;

-- One job is a list of one: a single place inserts jobs and checks the flag.
create or replace function hatch_add_job(
  identifier text,
  payload json,
  queue_name text default null,
  run_at timestamptz default null,
  max_attempts integer default null
) returns void language plpgsql as $$
begin
  perform hatch_add_jobs(identifier, array[payload], array[run_at], queue_name, max_attempts);
end;
$$;
