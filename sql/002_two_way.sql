-- Two-way messaging: contacts, opt-outs, suppressions, webhook de-duplication, email threading
-- and full-text search.

create table contacts (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  notes text not null default '',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index contacts_name_idx on contacts (lower(name), id);

-- One address belongs to at most one contact.
create table contact_phones (
  phone text primary key,
  contact_id uuid not null references contacts (id) on delete cascade
);
create index contact_phones_contact_idx on contact_phones (contact_id);

create table contact_emails (
  email text primary key check (email = lower(email)),
  contact_id uuid not null references contacts (id) on delete cascade
);
create index contact_emails_contact_idx on contact_emails (contact_id);

-- STOP and friends: a recipient opted out of texts from one of our senders.
create table sms_opt_outs (
  sender text not null,
  recipient text not null,
  keyword text not null,
  opted_out_at timestamptz not null default now(),
  primary key (sender, recipient)
);

-- Addresses that bounced or reported spam: no more email to them.
create table email_suppressions (
  email text primary key check (email = lower(email)),
  reason text not null,
  detail text,
  created_at timestamptz not null default now()
);

-- Provider events applied once (SendGrid's sg_event_id).
create table webhook_receipts (
  provider text not null,
  event_id text not null,
  received_at timestamptz not null default now(),
  primary key (provider, event_id)
);
create index webhook_receipts_received_idx on webhook_receipts (received_at);

-- The keyword an inbound SMS carried (stop, start, help), for the thread to show.
alter table messages add column keyword text;

alter table emails
  add column in_reply_to text,
  add column references_header text,
  add column headers jsonb,
  add column open_count integer not null default 0,
  add column click_count integer not null default 0;
create index emails_message_id_header_idx on emails (message_id_header);

-- Full-text search over message bodies and email subjects and bodies.
alter table messages add column search tsvector
  generated always as (to_tsvector('simple', body)) stored;
create index messages_search_idx on messages using gin (search);
alter table emails add column search tsvector
  generated always as (
    setweight(to_tsvector('simple', subject), 'A') || setweight(to_tsvector('simple', body), 'B')
  ) stored;
create index emails_search_idx on emails using gin (search);
