-- Broadcasts: one text to many contacts, each landing in its recipient's own conversation; and
-- the contact labels that choose them.

create table contact_labels (
  contact_id uuid not null references contacts (id) on delete cascade,
  label text not null check (length(label) between 1 and 60),
  primary key (contact_id, label)
);
create index contact_labels_label_idx on contact_labels (lower(label));

create table broadcasts (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  body text not null,
  sender text not null,
  state text not null check (state in ('running', 'paused', 'canceled', 'finished')),
  created_by uuid references users (id) on delete set null,
  -- The time the dispatcher gave the last text it queued: the next goes one interval later.
  next_slot_at timestamptz,
  -- Rows of the CSV without a valid phone number, or repeating one: counted, never stored.
  skipped_invalid integer not null default 0,
  skipped_duplicate integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index broadcasts_created_idx on broadcasts (created_at desc, id desc);

create table broadcast_recipients (
  broadcast_id uuid not null references broadcasts (id) on delete cascade,
  position integer not null,
  phone text not null,
  contact_id uuid references contacts (id) on delete set null,
  -- The values its variables take ({{contact.first_name}} …), fixed when the broadcast starts.
  variables jsonb not null default '{}',
  state text not null check (state in ('pending', 'queued', 'skipped', 'canceled')),
  skip_reason text,
  message_id uuid references messages (id) on delete set null,
  primary key (broadcast_id, phone)
);
create index broadcast_recipients_pending_idx on broadcast_recipients (broadcast_id, position)
  where state = 'pending';

alter table messages add column broadcast_id uuid references broadcasts (id) on delete set null;
create index messages_broadcast_idx on messages (broadcast_id) where broadcast_id is not null;

-- Saved replies the team shares, inserted from the composer with `/` and a few letters.
create table saved_replies (
  id uuid primary key default gen_random_uuid(),
  title text not null check (length(title) between 1 and 80),
  body text not null check (length(body) between 1 and 1600),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index saved_replies_title_idx on saved_replies (lower(title));

-- Outgoing webhooks, signed as the Standard Webhooks specification says.
create table webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  url text not null,
  events text[] not null,
  secret text not null,
  -- After a rotation the old secret also signs, until this time (receivers move over meanwhile).
  previous_secret text,
  previous_secret_until timestamptz,
  -- The first failure since the last success; failing for days disables the endpoint.
  failing_since timestamptz,
  disabled_at timestamptz,
  disabled_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table webhook_deliveries (
  id uuid primary key default gen_random_uuid(),
  endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
  event_type text not null,
  payload jsonb not null,
  state text not null check (state in ('pending', 'succeeded', 'failed')),
  attempts integer not null default 0,
  response_status integer,
  response_body text,
  error text,
  last_attempt_at timestamptz,
  created_at timestamptz not null default now()
);
create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc);

-- How far the fan-out has read the event log (one row; a worker holds it while it reads).
create table webhook_cursor (
  id integer primary key check (id = 1),
  last_event_id bigint not null
);
insert into webhook_cursor (id, last_event_id) select 1, coalesce(max(id), 0) from events;

-- Contact imports from CSV, worked through by a job in batches; the report keeps every row
-- skipped and why.
create table contact_imports (
  id uuid primary key default gen_random_uuid(),
  state text not null check (state in ('running', 'finished')),
  rows jsonb not null,
  mapping jsonb not null,
  labels text[] not null default '{}',
  total integer not null,
  processed integer not null default 0,
  created integer not null default 0,
  merged integer not null default 0,
  skipped jsonb not null default '[]',
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
