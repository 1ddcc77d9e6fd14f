-- The team inbox: a conversation's state (open, snoozed until a time, closed), its assignee and
-- labels; internal notes and system lines in the thread; per-user read positions; the view
-- counts of the sidebar; the team's settings.

create table labels (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 40),
  color text not null default '#6b7280' check (color ~ '^#[0-9a-f]{6}$'),
  created_at timestamptz not null default now()
);
create unique index labels_name_idx on labels (lower(name));

alter table conversations
  add column state text not null default 'open' check (state in ('open', 'snoozed', 'closed')),
  add column snoozed_until timestamptz,
  add column assignee_id uuid references users (id) on delete set null,
  add column label_ids uuid[] not null default '{}',
  -- Inbound messages ever counted; a user's read position is the count they had read.
  add column inbound_count integer not null default 0,
  -- Who made the last change of state or assignee, and why: the system line's words.
  add column changed_by uuid,
  add column change_cause text,
  add constraint conversations_snooze_check check ((state = 'snoozed') = (snoozed_until is not null));
-- Everything unread so far stays unread, for everyone: positions start at zero.
update conversations set inbound_count = unread_count;

-- The views' lists, each keyset-paged over an index in the list's order.
create index conversations_state_idx on conversations (state, last_message_at desc, id desc);
create index conversations_assignee_idx on conversations (assignee_id, last_message_at desc, id desc)
  where state = 'open';
create index conversations_labels_idx on conversations using gin (label_ids);

-- A user's read position per conversation: written when they read it, never per inbound message.
create table conversation_reads (
  user_id uuid not null references users (id) on delete cascade,
  conversation_id uuid not null references conversations (id) on delete cascade,
  read_inbound integer not null,
  read_at timestamptz not null default now(),
  primary key (user_id, conversation_id)
);

-- Internal notes (never handed to a provider) and system lines ("Closed by Ana").
create table notes (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  kind text not null check (kind in ('note', 'system')),
  author_id uuid references users (id) on delete set null,
  body text not null default '' check (length(body) <= 10000),
  mentions uuid[] not null default '{}',
  -- A system line's facts (what happened, to whom, until when); the browser words them.
  detail jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index notes_thread_idx on notes (conversation_id, created_at desc, id desc);

-- The team's settings: one row.
create table team_settings (
  id boolean primary key default true check (id),
  auto_assign boolean not null default true
);
insert into team_settings default values;

-- Per-user preferences: desktop notifications are opt-in.
alter table users add column notify boolean not null default false;

-- The sidebar's counts: each change of a conversation's state, assignee or labels appends its
-- +1/-1 per view it enters or leaves. Appends never contend for a row (a counter row would
-- serialise every such change and invite deadlocks against the event log's lock); a count is
-- the sum of its key's rows, which the worker folds into one row each minute.
create table view_count_deltas (
  key text not null,
  delta bigint not null
);
create index view_count_deltas_key_idx on view_count_deltas (key);

-- The views a conversation is in: its state; when open, mine:<assignee> or unassigned, and
-- label:<id> per label.
create function hatch_view_keys(state text, assignee uuid, label_ids uuid[]) returns text[]
language sql immutable as $$
  select array[state]
    || case when state <> 'open' then '{}'::text[]
            when assignee is null then array['unassigned']
            else array['mine:' || assignee] end
    || case when state = 'open'
            then coalesce((select array_agg('label:' || l) from unnest(label_ids) l), '{}')
            else '{}'::text[] end
$$;

create function hatch_count_views() returns trigger language plpgsql as $$
begin
  insert into view_count_deltas (key, delta)
  select key, sum(delta) from (
    select unnest(hatch_view_keys(old.state, old.assignee_id, old.label_ids)) as key, -1 as delta
    where tg_op <> 'INSERT'
    union all
    select unnest(hatch_view_keys(new.state, new.assignee_id, new.label_ids)), 1
    where tg_op <> 'DELETE'
  ) d
  group by key
  having sum(delta) <> 0;
  return null;
end;
$$;

create trigger conversations_count_insert after insert on conversations
  for each row execute function hatch_count_views();
create trigger conversations_count_delete after delete on conversations
  for each row execute function hatch_count_views();
-- Only a change the counts see runs the function: a new message's update does not.
create trigger conversations_count_update after update of state, assignee_id, label_ids
  on conversations for each row
  when (old.state is distinct from new.state or old.assignee_id is distinct from new.assignee_id
        or old.label_ids is distinct from new.label_ids)
  execute function hatch_count_views();

insert into view_count_deltas (key, delta)
select key, count(*) from conversations c, unnest(hatch_view_keys(c.state, c.assignee_id, c.label_ids)) key
group by key;

-- A change of state or assignee leaves a system line (timed by the clock, so two lines of one
-- transaction keep their order) in the thread, whatever made it (a user,
-- the customer's reply, the snooze's end, a reply that assigned it).
create function hatch_system_line() returns trigger language plpgsql as $$
declare
  cause text := coalesce(new.change_cause, 'user');
begin
  if old.assignee_id is distinct from new.assignee_id then
    insert into notes (conversation_id, kind, author_id, detail, created_at)
    values (new.id, 'system', new.changed_by, jsonb_build_object(
      'action', case when new.assignee_id is null then 'unassigned' else 'assigned' end,
      'assignee_id', new.assignee_id, 'cause', cause), clock_timestamp());
  end if;
  -- A change no request made (a reply that assigned, the customer's message that reopened) is
  -- audited here; requests audit their own changes, with their token and address.
  if cause = 'auto' and old.assignee_id is distinct from new.assignee_id then
    insert into audit_log (actor_user_id, actor_label, action, target, detail)
    select new.changed_by, coalesce((select email from users where id = new.changed_by), 'Hatch'),
      'conversation.assigned', new.id::text,
      jsonb_build_object('from', old.assignee_id, 'to', new.assignee_id, 'cause', 'auto');
  end if;
  if cause = 'reply' and old.state is distinct from new.state then
    insert into audit_log (actor_label, action, target, detail)
    values ('customer', 'conversation.reopened', new.id::text,
      jsonb_build_object('from', old.state, 'cause', 'reply'));
  end if;
  if old.state is distinct from new.state then
    insert into notes (conversation_id, kind, author_id, detail, created_at)
    values (new.id, 'system', case when cause = 'user' then new.changed_by end,
      jsonb_build_object(
        'action', case new.state when 'open' then 'reopened' else new.state end,
        'until', new.snoozed_until, 'cause', cause), clock_timestamp());
  end if;
  return null;
end;
$$;

create trigger conversations_system_line after update of state, assignee_id on conversations
  for each row
  when (old.state is distinct from new.state or old.assignee_id is distinct from new.assignee_id)
  execute function hatch_system_line();

-- Notes reach every open browser through the event log, like messages: the same ordering lock,
-- the same wake-up. Their payload says whom a note mentions, for notifications.
create function hatch_note_event() returns trigger language plpgsql as $$
declare
  r record;
begin
  if tg_op = 'DELETE' then r := old; else r := new; end if;
  perform pg_advisory_xact_lock(7262019);
  insert into events (id, type, action, conversation_id, entity_id, payload)
  values (nextval('events_id_seq'), 'note_update', tg_op, r.conversation_id, r.id,
    jsonb_build_object('kind', r.kind, 'mentions', array_to_string(r.mentions, ',')));
  perform pg_notify('hatch_events', '');
  return null;
end;
$$;

create trigger notes_event after insert or update or delete on notes
  for each row execute function hatch_note_event();
