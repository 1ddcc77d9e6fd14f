-- Accounts and security: users, sessions, API tokens, login throttling and the audit log.

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null unique check (email = lower(email)),
  name text not null default '',
  role text not null check (role in ('admin', 'agent')),
  password_hash text not null,
  totp_key text,
  disabled_at timestamptz,
  password_changed_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Server-side sessions; the cookie carries a random token whose SHA-256 is the id.
create table sessions (
  id text primary key,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  -- Set while the password is right but the second factor is still owed.
  mfa_pending boolean not null default false,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  token_hash text not null unique,
  prefix text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id);

-- Failed logins per IP and per account: growing delays, then a lock.
create table login_throttle (
  key text primary key,
  failures integer not null default 0,
  last_failure_at timestamptz not null default now(),
  locked_until timestamptz
);

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  actor_user_id uuid references users (id) on delete set null,
  actor_token_id uuid references api_tokens (id) on delete set null,
  actor_label text not null,
  action text not null,
  target text,
  ip text,
  detail jsonb not null default '{}'
);
create index audit_log_at_idx on audit_log (at desc, id desc);

