-- Outbound that respects people and carriers: scheduled sends, quiet hours, per-sender pacing.

-- A queued message or email with a time to leave at (null: at once). The row's created_at is set
-- to that time too, so the thread shows it where it will stand once sent.
alter table messages
  add column send_at timestamptz,
  -- Marketing texts wait for the recipient's daytime (quiet hours); replies never do.
  add column marketing boolean not null default false,
  -- Quiet hours hold a marketing text until this time (the recipient's morning).
  add column held_until timestamptz;
alter table emails add column send_at timestamptz;

-- One row per sender (a number or a Messaging Service): the earliest time its next text may go.
-- Every worker process reserves its slot here, under the row's lock, so the rate holds across
-- all of them.
create table sms_pacing (
  sender text primary key,
  next_at timestamptz not null
);

-- Takes the sender's next slot when it is within `horizon` of now: returns whether it did, and
-- the slot's time (the caller sends then, or comes back before it).
create function hatch_reserve_slot(
  p_sender text, p_interval interval, p_horizon interval,
  out reserved boolean, out slot_at timestamptz
) language plpgsql as $$
begin
  insert into sms_pacing (sender, next_at) values (p_sender, clock_timestamp())
  on conflict (sender) do nothing;
  select greatest(next_at, clock_timestamp()) into slot_at
  from sms_pacing where sender = p_sender for update;
  reserved := slot_at <= clock_timestamp() + p_horizon;
  if reserved then
    update sms_pacing set next_at = slot_at + p_interval where sender = p_sender;
  end if;
end;
$$;
