-- Hatch's first schema: conversations, messages, emails, the event log and idempotency keys.

create table conversations (
  id uuid primary key,
  channel text not null check (channel in ('sms', 'chat', 'email')),
  -- Our side first, then the customer's.
  participants text[] not null check (cardinality(participants) = 2),
  subject text,
  last_message_at timestamptz not null default now(),
  last_message_preview text not null default '',
  last_direction text,
  message_count integer not null default 0,
  unread_count integer not null default 0,
  created_at timestamptz not null default now()
);
-- The conversation list: newest activity first, keyset-paged.
create index conversations_recent_idx on conversations (last_message_at desc, id desc);

create table messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  channel text not null check (channel in ('sms', 'chat')),
  direction text not null check (direction in ('outbound', 'inbound')),
  from_contact text not null,
  to_contact text not null,
  body text not null,
  media jsonb not null default '[]',
  status text not null check (
    status in ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received')
  ),
  provider text,
  provider_message_id text,
  error_code text,
  error_message text,
  provider_response jsonb,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- The thread page: one conversation, newest first, keyset-paged.
create index messages_thread_idx on messages (conversation_id, created_at desc, id desc);
-- Status callbacks and de-duplication of inbound webhooks find a message by the provider's id.
create unique index messages_provider_id_idx on messages (provider, provider_message_id)
  where provider_message_id is not null;

create table emails (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  direction text not null check (direction in ('outbound', 'inbound')),
  from_email text not null,
  to_email text not null,
  cc text,
  bcc text,
  reply_to text,
  subject text not null,
  body text not null,
  html_content text,
  attachments jsonb not null default '[]',
  status text not null check (
    status in ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received')
  ),
  provider text,
  provider_message_id text,
  message_id_header text,
  error_code text,
  error_message text,
  provider_response jsonb,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index emails_thread_idx on emails (conversation_id, created_at desc, id desc);
create unique index emails_provider_id_idx on emails (provider, provider_message_id)
  where provider_message_id is not null;

-- The durable change log behind the SSE stream. Ids come from a sequence, but appends are
-- serialised (see hatch_append_event) so an id never becomes visible before a smaller one.
create table events (
  id bigint primary key,
  type text not null,
  action text not null check (action in ('INSERT', 'UPDATE', 'DELETE')),
  conversation_id uuid,
  entity_id uuid not null,
  payload jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create sequence events_id_seq as bigint owned by events.id;
create index events_created_idx on events (created_at);

create function hatch_append_event() returns trigger language plpgsql as $$
declare
  rec jsonb;
  kind text := tg_argv[0];
begin
  rec := to_jsonb(case when tg_op = 'DELETE' then old else new end);
  if tg_op = 'UPDATE' and to_jsonb(old) = rec then
    return null;
  end if;
  -- Held until commit: the next append waits, so ids commit in id order and a reader that
  -- has passed id N can never later find a smaller one.
  perform pg_advisory_xact_lock(7262019);
  insert into events (id, type, action, conversation_id, entity_id, payload)
  values (
    nextval('events_id_seq'),
    kind || '_update',
    tg_op,
    case when kind = 'conversation' then (rec ->> 'id')::uuid
         else (rec ->> 'conversation_id')::uuid end,
    (rec ->> 'id')::uuid,
    jsonb_strip_nulls(jsonb_build_object(
      'status', rec ->> 'status',
      'direction', rec ->> 'direction',
      'channel', rec ->> 'channel'
    ))
  );
  -- Identical notifications in one transaction fold into one: a single wake-up per commit.
  perform pg_notify('hatch_events', '');
  return null;
end;
$$;

create trigger conversations_event after insert or update or delete on conversations
  for each row execute function hatch_append_event('conversation');
create trigger messages_event after insert or update or delete on messages
  for each row execute function hatch_append_event('message');
create trigger emails_event after insert or update or delete on emails
  for each row execute function hatch_append_event('email');

-- Answers to requests sent with an Idempotency-Key, kept at least 24 hours.
create table idempotency_keys (
  scope text not null,
  key text not null,
  request_hash text not null,
  state text not null check (state in ('running', 'done')),
  response_status integer,
  response_body jsonb,
  created_at timestamptz not null default now(),
  primary key (scope, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);

-- Workers in this table are alive; jobs locked by any other worker are released by a sweep.
create table worker_heartbeats (
  worker_id text primary key,
  seen_at timestamptz not null default now()
);

-- How far along a delivery status is; a status only ever moves to a higher rank.
create function hatch_status_rank(status text) returns integer language sql immutable as $$
  select case status
    when 'queued' then 0
    when 'sending' then 1
    when 'sent' then 2
    when 'delivered' then 3
    when 'undelivered' then 3
    when 'failed' then 3
    when 'received' then 3
    else -1
  end
$$;
