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

-- Every text handed to the provider per sender: when its slot was, and when the provider had
-- answered. A sender's next slot waits until the answer to the text MPS places back came, plus
-- a second: that text had arrived by then, so no second at the provider can hold more than MPS
-- whatever the delays between a reservation and its request.
create table sms_send_slots (
  id bigint generated always as identity primary key,
  sender text not null,
  due_at timestamptz not null,
  done_at timestamptz
);
create index sms_send_slots_sender_idx on sms_send_slots (sender, id desc);

-- Takes the sender's next slot when it is within `horizon` of now: answers whether it did, the
-- slot's time (null when a text in flight must answer first) and the slot's id.
create function hatch_reserve_slot(
  p_sender text, p_interval interval, p_per_window integer, p_window interval,
  p_horizon interval,
  out reserved boolean, out slot_at timestamptz, out slot_id bigint
) language plpgsql as $$
declare
  earlier record;
begin
  insert into sms_pacing (sender, next_at) values (p_sender, clock_timestamp())
  on conflict (sender) do nothing;
  select greatest(next_at, clock_timestamp()) into slot_at
  from sms_pacing where sender = p_sender for update;
  select s.due_at as at, s.done_at into earlier from sms_send_slots s
  where s.sender = p_sender order by s.id desc offset p_per_window - 1 limit 1;
  if found then
    -- A text whose worker died before the answer counts as answered 20 s after its slot (the
    -- Twilio client gives up after 15 s).
    if earlier.done_at is null and earlier.at > clock_timestamp() - interval '20 seconds' then
      reserved := false;
      slot_at := null;
      return;
    end if;
    slot_at := greatest(slot_at,
      coalesce(earlier.done_at, earlier.at + interval '20 seconds') + p_window);
  end if;
  reserved := slot_at <= clock_timestamp() + p_horizon;
  if reserved then
    update sms_pacing set next_at = slot_at + p_interval where sender = p_sender;
    insert into sms_send_slots (sender, due_at) values (p_sender, slot_at)
    returning id into slot_id;
    delete from sms_send_slots
    where sender = p_sender and due_at < clock_timestamp() - interval '10 minutes';
  end if;
end;
$$;
