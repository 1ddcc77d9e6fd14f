-- hatch_add_job (sql/014) in one insert when its task and queue exist, which is every call but
-- the first of each: it used to run the task's insert-unless-it-exists before every job, a
-- statement of its own inside every send. Now the job's insert comes first, and only when it
-- finds no task (or no queue, when one is named) are they made and the insert run again. The
-- job is the same, column for column (tests/delivery/add_job_test.ts compares it with
-- graphile_worker.add_job's).
create or replace function hatch_add_job(
  identifier text,
  payload json,
  queue_name text default null,
  run_at timestamptz default null,
  max_attempts integer default null
) returns void language plpgsql as $$
declare
  added boolean := false;
begin
  for attempt in 1..2 loop
    insert into graphile_worker._private_jobs (job_queue_id, task_id, payload, run_at,
      max_attempts, priority)
    select job_queues.id, tasks.id, coalesce(hatch_add_job.payload, '{}'::json),
      coalesce(hatch_add_job.run_at, now()), coalesce(hatch_add_job.max_attempts, 25), 0
    from graphile_worker._private_tasks as tasks
    left join graphile_worker._private_job_queues as job_queues
      on job_queues.queue_name = hatch_add_job.queue_name
    where tasks.identifier = hatch_add_job.identifier
      and (hatch_add_job.queue_name is null or job_queues.id is not null);
    added := found;
    exit when added;
    -- The first job of this task or queue: make them (another transaction may at once).
    insert into graphile_worker._private_tasks (identifier)
    values (hatch_add_job.identifier) on conflict do nothing;
    if hatch_add_job.queue_name is not null then
      insert into graphile_worker._private_job_queues (queue_name)
      values (hatch_add_job.queue_name) on conflict do nothing;
    end if;
  end loop;
  if not added then
    raise exception 'Could not add a "%" job', hatch_add_job.identifier;
  end if;
  if (select last_value from hatch_jobs_wake) = 1 then
    perform setval('hatch_jobs_wake', 0);
    perform pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":1}');
  end if;
end;
$$;
