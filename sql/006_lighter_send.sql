-- A send's statement, made lighter:
--
-- The audit log's actor columns lose their foreign keys. Each check took a KEY SHARE lock on the
-- user's and the token's rows, so concurrent sends with one token shared those locks through
-- multixacts, for no gain: users and tokens are disabled or revoked, never deleted, and an audit
-- log should name its actor even if the account were ever gone (actor_label keeps the email).
alter table audit_log drop constraint if exists audit_log_actor_user_id_fkey;
alter table audit_log drop constraint if exists audit_log_actor_token_id_fkey;

-- Processes keep a short-lived cache of resolved API tokens; whatever can end a token's or a
-- user's access, or change what a token resolves to, tells every process to drop it, however
-- the change was made (API, CLI, SQL). A token's last_used_at, written as it is used, does not.
create or replace function hatch_auth_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('hatch_auth', '');
  return null;
end;
$$;

create trigger api_tokens_auth_changed
  after update of revoked_at, expires_at, token_hash, user_id or delete on api_tokens
  for each statement execute function hatch_auth_changed();
create trigger users_auth_changed
  after update of disabled_at, role, email or delete on users
  for each statement execute function hatch_auth_changed();
