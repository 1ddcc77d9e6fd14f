-- Delivery jobs without a NOTIFY per send when the worker is busy.
--
-- graphile_worker.add_job NOTIFYs `jobs:insert` on every call, with a random payload (so two
-- never fold into one). A NOTIFY takes the notification queue's global lock at commit, so every
-- send — and every status change that schedules a follow-up — committed one at a time again,
-- whatever sql/013 saved (bench/commit_lock.ts measures it). hatch_add_job adds the same job
-- (the same rows add_job makes for a job without a key: tests/delivery/add_job_test.ts compares
-- them) and NOTIFYs only when a worker has said it is waiting: a worker whose fetch came back
-- short sets `hatch_jobs_wake` to 1 (lib/delivery/worker.ts); the first job added after that
-- clears it and NOTIFYs, which wakes every worker; jobs added while workers are busy are found by
-- their next fetch, and one added in the instant between a fetch and the arming by the
-- worker's poll (HATCH_WORKER_POLL_MS). Unlogged and non-transactional, like hatch_events_wake.
create unlogged sequence hatch_jobs_wake as smallint minvalue 0 maxvalue 1 start 1;

create function hatch_add_job(
  identifier text,
  payload json,
  queue_name text default null,
  run_at timestamptz default null,
  max_attempts integer default null
) returns void language plpgsql as $$
begin
  insert into graphile_worker._private_tasks as tasks (identifier)
  select hatch_add_job.identifier
  where not exists (
    select 1 from graphile_worker._private_tasks as existing
    where existing.identifier = hatch_add_job.identifier)
  on conflict do nothing;
  if hatch_add_job.queue_name is not null then
    insert into graphile_worker._private_job_queues as job_queues (queue_name)
    select hatch_add_job.queue_name
    where not exists (
      select 1 from graphile_worker._private_job_queues as existing
      where existing.queue_name = hatch_add_job.queue_name)
    on conflict do nothing;
  end if;
  insert into graphile_worker._private_jobs (job_queue_id, task_id, payload, run_at, max_attempts,
    priority)
  select job_queues.id, tasks.id, coalesce(hatch_add_job.payload, '{}'::json),
    coalesce(hatch_add_job.run_at, now()), coalesce(hatch_add_job.max_attempts, 25), 0
  from graphile_worker._private_tasks as tasks
  left join graphile_worker._private_job_queues as job_queues
    on job_queues.queue_name = hatch_add_job.queue_name
  where tasks.identifier = hatch_add_job.identifier;
  if (select last_value from hatch_jobs_wake) = 1 then
    perform setval('hatch_jobs_wake', 0);
    perform pg_notify('jobs:insert', '{"r":' || random()::text || ',"count":1}');
  end if;
end;
$$;
