// A small florist's inbox, written straight into a database of its own, for the README's
// screenshots: named contacts, SMS, chat and email, spread over the last two weeks.
import type { Sql } from "@/lib/db/connect.ts";
import { conversationId } from "@/lib/conversations/conversation_id.ts";
import { ownDatabase } from "@/tests/helpers.ts";
import type { HatchProcess } from "@/tests/process.ts";
import { DOCS_DIR, signIn, startHatch } from "./harness.ts";

/** Our side of the showcase: the shop's number and address. */
export const SHOP = { phone: "+14155550100", email: "hello@marigold.shop", chat: "Hatch" };

type Line = [minutesAgo: number, dir: "in" | "out", body: string, status?: string];

interface Thread {
  channel: "sms" | "chat";
  contact: string;
  name?: string;
  unread?: number;
  lines: Line[];
}

interface Mail {
  contact: string;
  name?: string;
  unread?: number;
  subject: string;
  mails: [minutesAgo: number, dir: "in" | "out", body: string, html?: string][];
}

const H = 60;
const D = 24 * H;

/** The SMS and chat conversations; the first is the one the screenshots open. */
export const THREADS: Thread[] = [
  {
    channel: "sms",
    contact: "+14155550142",
    name: "Maria Chen",
    unread: 0,
    lines: [
      [
        D + 2 * H,
        "in",
        "Hi! I'm getting married on Saturday and would love a bridal bouquet with peonies and garden roses. Is that possible on short notice?",
      ],
      [
        D + 2 * H - 6,
        "out",
        "Congratulations, Maria! 🎉 Yes, we have blush peonies in this week. Any colours in mind?",
      ],
      [D + 2 * H - 9, "in", "Blush and ivory, with a little eucalyptus."],
      [D + 2 * H - 9, "in", "Budget around $180 if that works"],
      [
        D + H + 40,
        "out",
        "Perfect. A hand-tied bouquet in blush and ivory with eucalyptus comes to $165. Would you like a matching boutonniere for $18?",
      ],
      [D + H + 31, "in", "Yes please! Can I pick everything up Saturday morning?"],
      [D + H + 28, "out", "Absolutely. We open at 8am, and it's all reserved under your name."],
      [38, "in", "Quick question: could we add a flower crown for my niece?"],
      [37, "in", "She's 6, so something small 🙂"],
      [
        6,
        "out",
        "Of course! A petite crown in the same palette is $35. I'll add it to Saturday's pickup.",
      ],
      [2, "in", "Amazing, thank you so much!"],
    ],
  },
  {
    channel: "sms",
    contact: "+16285550187",
    unread: 2,
    lines: [
      [74, "in", "Hi, do you deliver to Oakland?"],
      [73, "in", "Looking for something for my mom's birthday tomorrow"],
    ],
  },
  {
    channel: "chat",
    contact: "Priya",
    lines: [
      [3 * H, "in", "The 3pm pickup for Mr. Okafor is here, I'll bring the lilies out"],
      [3 * H - 1, "out", "Thanks Priya! Card is taped to the wrapping."],
    ],
  },
  {
    channel: "sms",
    contact: "+14155550199",
    name: "Tom Becker",
    lines: [
      [D + 5 * H, "out", "Hi Tom, your anniversary roses were delivered at 2:14pm."],
      [D + 4 * H, "in", "Thanks! They look amazing 🌷 She loved them."],
    ],
  },
  {
    channel: "sms",
    contact: "+442079460321",
    unread: 1,
    lines: [
      [
        2 * D + 3 * H,
        "in",
        "Hello from London! Can I order a delivery in San Francisco for Friday?",
      ],
    ],
  },
  {
    channel: "sms",
    contact: "+14155550163",
    name: "Sofia Rossi",
    lines: [
      [3 * D, "in", "Is my order ready?"],
      [3 * D - 20, "out", "Yes! Your tulips are ready for pickup until 6pm today.", "failed"],
    ],
  },
  {
    channel: "chat",
    contact: "Marcus",
    lines: [[4 * D, "in", "Restocked the peonies and the eucalyptus in the walk-in cooler"]],
  },
  {
    channel: "sms",
    contact: "+12125550118",
    name: "Dev Patel",
    lines: [
      [9 * D, "out", "Hi Dev, a reminder that your weekly office flowers arrive Monday at 9am."],
      [9 * D - 30, "in", "Great, see you then"],
    ],
  },
];

/** The email conversations. */
export const MAILS: Mail[] = [
  {
    contact: "jordan@alvarezevents.com",
    name: "Jordan Alvarez",
    unread: 1,
    subject: "Centerpieces for the October 12 gala",
    mails: [
      [
        26,
        "in",
        "Hi Marigold team,\n\nWe're planning a gala for 120 guests on October 12 and would love 14 low centerpieces in autumn tones.\n\nCould you send a quote?\n\nBest,\nJordan",
        `<div style="font-family:Georgia,serif;color:#3b2f2a"><h2 style="color:#b4532a;margin:0 0 12px">Alvarez Events</h2><p>Hi Marigold team,</p><p>We're planning a gala for <b>120 guests</b> on October 12 and would love <b>14 low centerpieces</b> in autumn tones: rust, burgundy and cream.</p><p>Could you send a quote?</p><p>Best,<br>Jordan Alvarez<br><span style="color:#8a7a70">Alvarez Events · San Francisco</span></p></div>`,
      ],
    ],
  },
  {
    contact: "orders@greenleafwholesale.com",
    name: "Greenleaf Wholesale",
    subject: "Invoice #4821 (September)",
    mails: [[
      D + 6 * H,
      "out",
      "Hello,\n\nPayment for invoice #4821 has been sent.\n\nThank you,\nMarigold Flowers",
    ]],
  },
  {
    contact: "hannah.lee@example.com",
    name: "Hannah Lee",
    subject: "Sympathy arrangement",
    mails: [
      [
        6 * D,
        "in",
        "Hello, I'd like to send a sympathy arrangement to the Lee family service on Thursday.",
      ],
      [
        6 * D - 45,
        "out",
        "Dear Hannah,\n\nWe're so sorry for your loss. We'll prepare a white lily and rose arrangement and deliver it Thursday morning.\n\nWarmly,\nMarigold Flowers",
      ],
    ],
  },
];

function at(now: number, minutesAgo: number): Date {
  return new Date(now - minutesAgo * 60_000);
}

/** Writes the showcase into an empty, migrated database. */
export async function seedShowcase(
  sql: Sql,
  now = Date.now(),
): Promise<{ openId: string; emailId: string }> {
  const ids: string[] = [];
  for (const t of THREADS) {
    const ours = t.channel === "sms" ? SHOP.phone : SHOP.chat;
    const id = conversationId(ours, t.contact);
    ids.push(id);
    const last = t.lines[t.lines.length - 1];
    await sql`insert into conversations (id, channel, participants, last_message_at,
      last_message_preview, last_direction, message_count, unread_count, created_at)
      values (${id}, ${t.channel}, ${[ours, t.contact]}, ${at(now, last[0])}, ${last[2]},
        ${last[1] === "in" ? "inbound" : "outbound"}, ${t.lines.length}, ${t.unread ?? 0},
        ${at(now, t.lines[0][0])})`;
    for (const [i, [ago, dir, body, status]] of t.lines.entries()) {
      const when = new Date(at(now, ago).getTime() + i);
      await sql`insert into messages (conversation_id, channel, direction, from_contact, to_contact,
        body, status, error_code, error_message, created_at, updated_at)
        values (${id}, ${t.channel}, ${dir === "in" ? "inbound" : "outbound"},
          ${dir === "in" ? t.contact : ours}, ${dir === "in" ? ours : t.contact}, ${body},
          ${status ?? (dir === "in" ? "received" : t.channel === "chat" ? "sent" : "delivered")},
          ${status === "failed" ? "30003" : null},
          ${
        status === "failed"
          ? "Unreachable destination handset: the phone is off or out of coverage"
          : null
      },
          ${when}, ${when})`;
    }
    if (t.name) {
      await addContact(sql, t.name, { phone: t.channel === "sms" ? t.contact : undefined });
    }
  }
  let emailId = "";
  for (const m of MAILS) {
    const id = conversationId(SHOP.email, m.contact);
    emailId ||= id;
    const last = m.mails[m.mails.length - 1];
    await sql`insert into conversations (id, channel, participants, subject, last_message_at,
      last_message_preview, last_direction, message_count, unread_count, created_at)
      values (${id}, 'email', ${[SHOP.email, m.contact]}, ${m.subject}, ${at(now, last[0])},
        ${last[2].replace(/\s+/g, " ").slice(0, 160)}, ${last[1] === "in" ? "inbound" : "outbound"},
        ${m.mails.length}, ${m.unread ?? 0}, ${at(now, m.mails[0][0])})`;
    for (const [ago, dir, body, html] of m.mails) {
      await sql`insert into emails (conversation_id, direction, from_email, to_email, subject, body,
        html_content, status, created_at, updated_at)
        values (${id}, ${dir === "in" ? "inbound" : "outbound"},
          ${dir === "in" ? m.contact : SHOP.email}, ${dir === "in" ? SHOP.email : m.contact},
          ${dir === "in" ? m.subject : `Re: ${m.subject}`}, ${body}, ${html ?? null},
          ${dir === "in" ? "received" : "delivered"}, ${at(now, ago)}, ${at(now, ago)})`;
    }
    if (m.name) await addContact(sql, m.name, { email: m.contact });
  }
  return { openId: ids[0], emailId };
}

async function addContact(sql: Sql, name: string, address: { phone?: string; email?: string }) {
  const [c] = await sql`insert into contacts (name) values (${name}) returning id`;
  if (address.phone) {
    await sql`insert into contact_phones (phone, contact_id) values (${address.phone}, ${c.id})`;
  }
  if (address.email) {
    await sql`insert into contact_emails (email, contact_id) values (${address.email}, ${c.id})`;
  }
}

/**
 * A Hatch on a showcase database of its own, sending as the shop, with the browser tests signed
 * in as its owner and `docs/` ready for their screenshots; undone after the file's tests.
 */
export async function startShowcase(name: string): Promise<
  {
    db: Awaited<ReturnType<typeof ownDatabase>>;
    hatch: HatchProcess;
    openId: string;
    emailId: string;
  }
> {
  const db = await ownDatabase(name);
  const ids = await seedShowcase(db.sql);
  const hatch = await startHatch({
    databaseUrl: db.url,
    env: { HATCH_SANDBOX_NUMBER: SHOP.phone, HATCH_SANDBOX_EMAIL: SHOP.email },
  });
  await signIn(db.url, "ana@marigold.shop");
  await Deno.mkdir(DOCS_DIR, { recursive: true });
  return { db, hatch, ...ids };
}
