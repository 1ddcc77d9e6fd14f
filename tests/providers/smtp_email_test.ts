// SMTP through the real nodemailer against a real SMTP server (smtp-server) on loopback.
import assert from "node:assert/strict";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { test } from "@/tests/helpers.ts";
import { emailRequest, sendError } from "./helpers.ts";
import { SmtpEmail } from "@/lib/providers/smtp_email.ts";
import type { EmailRequest } from "@/lib/providers/types.ts";
import { parseSettings } from "@/lib/config.ts";
import { emailProviderFor } from "@/lib/providers/select.ts";

interface Received {
  from: string;
  to: string[];
  raw: string;
  user: string | undefined;
}

interface FakeSmtp {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

// Recipients on these local parts are answered as a real server would.
const REFUSE: Record<string, [number, string]> = {
  "nobody": [550, "5.1.1 No such user"],
  "full": [452, "4.2.2 Mailbox full, try again later"],
};

function smtpErr(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function startFakeSmtp(): Promise<FakeSmtp> {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === "hatch" && auth.password === "s3cret") {
        return cb(null, { user: "hatch" });
      }
      cb(smtpErr(535, "5.7.8 Authentication credentials invalid"));
    },
    onRcptTo(address, _session, cb) {
      const refusal = REFUSE[address.address.split("@")[0]];
      cb(refusal ? smtpErr(...refusal) : undefined);
    },
    onData(stream, session, cb) {
      const chunks: Uint8Array[] = [];
      stream.on("data", (chunk: Uint8Array) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: new TextDecoder().decode(concat(chunks)),
          user: typeof session.user === "string" ? session.user : undefined,
        });
        cb();
      });
    },
  });
  const port = await new Promise<number>((resolve) => {
    server.listen(
      0,
      "127.0.0.1",
      () => resolve((server.server.address() as { port: number }).port),
    );
  });
  return {
    url: `smtp://hatch:s3cret@127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function email(overrides: Partial<EmailRequest> = {}): EmailRequest {
  return emailRequest({ from: "Hatch Team <team@hatch.example.com>", ...overrides });
}

test("smtp: nodemailer delivers the whole email with threading headers", async () => {
  const fake = await startFakeSmtp();
  const provider = new SmtpEmail({ url: fake.url });
  try {
    const request = email({
      cc: ["lin@example.com"],
      bcc: ["audit@example.com"],
      replyTo: "support@hatch.example.com",
      inReplyTo: "<first@mail.example.com>",
      references: ["<root@mail.example.com>", "<first@mail.example.com>"],
      attachments: [{
        filename: "note.txt",
        contentType: "text/plain",
        contentBase64: btoa("attached"),
      }],
    });
    const result = await provider.send(request);
    assert.equal(result.providerMessageId, "<abc123@hatch.example.com>");
    assert.equal(result.status, "sent");
    assert.equal(fake.received.length, 1);
    const got = fake.received[0];
    assert.equal(got.user, "hatch");
    assert.equal(got.from, "team@hatch.example.com");
    assert.deepEqual(got.to, ["ada@example.com", "lin@example.com", "audit@example.com"]);
    const parsed = await simpleParser(got.raw);
    assert.equal(parsed.messageId, "<abc123@hatch.example.com>");
    assert.equal(parsed.inReplyTo, "<first@mail.example.com>");
    assert.deepEqual(parsed.references, ["<root@mail.example.com>", "<first@mail.example.com>"]);
    assert.equal(parsed.subject, "Your order");
    assert.equal(parsed.text?.trim(), "Hello Ada");
    assert.equal(parsed.html, "<p>Hello Ada</p>");
    assert.equal(parsed.headers.get("x-hatch-email-id"), request.emailId);
    assert.equal(parsed.headers.has("bcc"), false, "Bcc stays in the envelope only");
    assert.equal(parsed.attachments[0].filename, "note.txt");
    assert.equal(new TextDecoder().decode(parsed.attachments[0].content), "attached");
    assert.ok(!JSON.stringify(result.response).includes("s3cret"));
  } finally {
    provider.close();
    await fake.close();
  }
});

test("smtp: 5xx refusals are permanent, 4xx deferrals transient", async () => {
  const fake = await startFakeSmtp();
  const provider = new SmtpEmail({ url: fake.url });
  try {
    const gone = await sendError(provider, email({ to: ["nobody@example.com"] }));
    assert.equal(gone.code, "550");
    assert.equal(gone.transient, false);
    assert.match(gone.message, /^The SMTP server refused the email: .*No such user/);

    const full = await sendError(provider, email({ to: ["full@example.com"] }));
    assert.equal(full.code, "452");
    assert.equal(full.transient, true);

    // One refused recipient among good ones: the email goes to the rest, and says so.
    const partial = await provider.send(email({ to: ["ada@example.com", "nobody@example.com"] }));
    assert.deepEqual((partial.response as { rejected: string[] }).rejected, ["nobody@example.com"]);
  } finally {
    provider.close();
    await fake.close();
  }
});

test("smtp: bad credentials are permanent and the password stays out of the error", async () => {
  const fake = await startFakeSmtp();
  const provider = new SmtpEmail({ url: fake.url.replace("s3cret", "wrongpass") });
  try {
    const error = await sendError(provider, email());
    assert.equal(error.code, "535");
    assert.equal(error.transient, false);
    assert.ok(!JSON.stringify([error.message, error.options]).includes("wrongpass"));
  } finally {
    provider.close();
    await fake.close();
  }
});

test("smtp: a refused connection is a transient network error", async () => {
  const fake = await startFakeSmtp();
  await fake.close();
  const provider = new SmtpEmail({ url: fake.url, timeoutMs: 2000 });
  const error = await sendError(provider, email());
  assert.equal(error.code, "network");
  assert.equal(error.transient, true);
  provider.close();
});

test("smtp: settings choose SMTP", () => {
  const settings = parseSettings({
    SMTP_URL: "smtp://hatch:s3cret@127.0.0.1:2525",
    SENDGRID_FROM_EMAIL: "team@hatch.example.com",
  });
  const provider = emailProviderFor(settings);
  assert.ok(provider instanceof SmtpEmail);
  provider.close();
});
