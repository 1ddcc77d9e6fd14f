-- Who sent each outbound message and email: the signed-in user, or the API token and its user.
-- No foreign keys, for the reason 006 gives: each check would take a KEY SHARE lock on the
-- user's and the token's rows for every send. Users and tokens are disabled or revoked, never
-- deleted, so the ids keep naming someone.
alter table messages add column sent_by_user_id uuid, add column sent_by_token_id uuid;
alter table emails add column sent_by_user_id uuid, add column sent_by_token_id uuid;
-- The user behind the conversation's last outbound message, for the list's "Lily: …" preview.
alter table conversations add column last_sender_id uuid;

-- A sender as the inbox names them: the display name, else the email's local part; a token's
-- sends say so. Read when shown, so a renamed user's messages carry the new name.
create function hatch_sender_name(user_id uuid, token_id uuid) returns text
language sql stable as $$
  select coalesce(nullif(u.name, ''), split_part(u.email, '@', 1))
    || case when token_id is null then '' else ' (API)' end
  from users u where u.id = user_id
$$;
