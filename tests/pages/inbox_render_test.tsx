// The inbox page rendered on the server, without a database: speed with a full first screen
// (50 conversations, a thread of 50 messages), escaping of hostile text, island wrapping.
import assert from "node:assert/strict";
import { registerIslands, renderPage } from "@/lib/web/render.tsx";
import App from "@/routes/_app.tsx";
import Inbox from "@/routes/index.tsx";
import ConversationList from "@/islands/ConversationList.tsx";
import ConversationPane from "@/islands/ConversationPane.tsx";
import EmailComposer from "@/islands/EmailComposer.tsx";
import type { Conversation, Message } from "@/lib/shared/types.ts";
import type { InboxData } from "@/lib/pages/inbox.ts";
import type { ComponentType } from "preact";
import type { PageProps } from "@/lib/web/define.ts";

registerIslands({ ConversationList, ConversationPane, EmailComposer });

const HOSTILE = `<img src=x onerror=alert(1)><script>alert("x")</script>`;

function hex(n: number): string {
  return n.toString(16).padStart(12, "0");
}

function conversations(n: number): Conversation[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${hex(i)}`,
    conversation_id: `00000000-0000-4000-8000-${hex(i)}`,
    channel: i % 7 === 0 ? "email" : i % 5 === 0 ? "chat" : "sms",
    participants: ["+15005550006", `+1415555${String(1000 + i)}`],
    contact: i % 7 === 0 ? `c${i}@example.com` : `+1415555${String(1000 + i)}`,
    contact_id: null,
    contact_name: i % 3 === 0 ? `Customer ${i}` : null,
    subject: i % 7 === 0 ? `Subject ${i}` : null,
    last_message: i === 1 ? HOSTILE : `Last words in conversation ${i}`,
    last_message_time: new Date(Date.UTC(2025, 0, 10, 12) - i * 3_600_000).toISOString(),
    last_direction: i % 2 ? "inbound" : "outbound",
    message_count: 10 + i,
    unread_count: i % 4 === 0 ? 2 : 0,
    last_sender: null,
    last_failed: false,
    state: "open",
    snoozed_until: null,
    assignee_id: null,
    label_ids: [],
  }));
}

function messages(conversation: string, n: number): Message[] {
  return Array.from({ length: n }, (_, i) => {
    const t = new Date(Date.UTC(2025, 0, 8, 9) + i * 1_800_000).toISOString();
    return {
      id: `10000000-0000-4000-8000-${hex(i)}`,
      conversation_id: conversation,
      channel: "sms",
      direction: i % 3 ? "inbound" : "outbound",
      from_contact: "+14155551001",
      to_contact: "+15005550006",
      body: i === 7 ? HOSTILE : `Message number ${i}, with a few words to wrap in the bubble`,
      media: [],
      status: i % 3 ? "received" : i === 48 ? "failed" : "delivered",
      error_code: i === 48 ? "30003" : null,
      error_message: i === 48 ? "Unreachable destination handset" : null,
      keyword: null,
      sent_by: null,
      timestamp: t,
      updated_at: t,
    };
  });
}

function data(): InboxData {
  const list = conversations(50);
  const open = list[1];
  return {
    conversations: { items: list, next_cursor: "cursor" },
    open,
    messages: { items: messages(open.id, 50), next_cursor: "older" },
    emails: null,
    notFound: null,
    labels: { "+15005550006": "(500) 555-0006" },
    latestEventId: "42",
    sandbox: true,
    emailSandbox: true,
    emailFrom: "hello@marigold.shop",
    defaultCountry: "US",
    timeZone: "America/New_York",
    filter: "",
    csrfToken: "token",
    user: {
      id: "00000000-0000-4000-8000-0000000000aa",
      email: "ana@marigold.shop",
      name: "Ana",
      role: "admin",
    },
    team: {
      me: { id: "00000000-0000-4000-8000-000000000001", name: "Ana", role: "admin" },
      view: { view: "open", label: null },
      counts: { mine: 3, unassigned: 5, open: 50, snoozed: 1, closed: 9, labels: {} },
      teammates: [
        { id: "00000000-0000-4000-8000-000000000001", name: "Ana", email: "ana@marigold.shop" },
      ],
      labels: [],
      notes: null,
      notify: false,
    },
  };
}

function render(d: InboxData): string {
  const props: PageProps = { data: d, url: new URL(`http://x/?c=${d.open?.id}`), params: {} };
  const Shell = App as ComponentType<PageProps & { Component: ComponentType<PageProps> }>;
  return renderPage(<Shell {...props} Component={Inbox as ComponentType<PageProps>} />);
}

// Render time is a benchmark's business (bench/), not a timed assertion here.
Deno.test("inbox render: the first screen holds 50 conversations and a 50-message thread", () => {
  const html = render(data());
  assert.equal((html.match(/class="row[ "]/g) ?? []).length, 50, "50 conversations");
  assert.equal((html.match(/data-message="/g) ?? []).length, 50, "50 messages");
});

Deno.test("inbox render: hostile text is escaped everywhere and every island is wrapped", () => {
  const html = render(data());
  assert.ok(!html.includes("<img src=x"), "no live <img> from user text");
  assert.ok(!html.includes('<script>alert("x")'), "no live <script> from user text");
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)>") || html.includes("&lt;img src=x"));
  for (const name of ["ConversationList", "ConversationPane", "EmailComposer"]) {
    assert.ok(html.includes(`data-island="${name}"`), `${name} is hydrated`);
  }
  assert.equal((html.match(/<hatch-island/g) ?? []).length, 3, "islands are not nested");
  // The islands' props survive the attribute round trip.
  const m = html.match(/data-island="ConversationPane" data-props="([^"]*)"/);
  const props = JSON.parse(
    m![1].replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&"),
  );
  assert.equal(props.messages.length, 50);
  assert.equal(props.messages[7].body, HOSTILE);
  assert.ok(html.includes("Unreachable destination handset"), "a failed message shows its reason");
  assert.ok(html.includes('class="thread-scroll"'), "the thread is rendered on the server");
});
