-- Open event streams re-check their principal whenever `hatch_auth` is heard, so a session that
-- ends must be heard too, however it ends: logout, a password change or reset, disabling its
-- user, pruning, plain SQL. A session's last_seen_at, written as it is used, is left out, as a
-- token's last_used_at is. Each of these also drops every process's token cache: sessions end
-- seldom enough for that to cost nothing that matters.
create trigger sessions_auth_changed
  after update of id, user_id, mfa_pending, expires_at or delete or truncate on sessions
  for each statement execute function hatch_auth_changed();
