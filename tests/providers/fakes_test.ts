// The fakes answer malformed requests the way the real APIs do, whatever client sends them.
import assert from "node:assert/strict";
import twilio from "twilio";
import { test } from "@/tests/helpers.ts";
import { segmentCount, startFakeTwilio } from "@/tests/fakes/fake_twilio.ts";
import { startFakeSendgrid } from "@/tests/fakes/fake_sendgrid.ts";
import { validateMailSend } from "@/tests/fakes/sendgrid_mail_validation.ts";

test("fake twilio: validates like Twilio and answers its error shape", async () => {
  const fake = startFakeTwilio();
  try {
    const post = async (fields: Record<string, string | string[]>) => {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) {
        for (const value of [v].flat()) form.append(k, value);
      }
      const res = await fetch(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Messages.json`, {
        method: "POST",
        headers: { authorization: `Basic ${btoa(`${fake.accountSid}:${fake.authToken}`)}` },
        body: form,
      });
      return { status: res.status, body: await res.json() };
    };
    const from = "+15005550006";
    const cases: [Record<string, string | string[]>, number][] = [
      [{ From: from, Body: "x" }, 21604],
      [{ To: "+14155550123", Body: "x" }, 21603],
      [{ To: "+14155550123", From: from }, 21602],
      [{ To: "4155550123", From: from, Body: "x" }, 21211],
      [{ To: "+14155550123", From: from, Body: "x".repeat(1601) }, 21617],
      [{ To: "+14155550123", From: from, MediaUrl: "ftp://x/y.png" }, 21620],
      [{ To: "+14155550123", From: from, Body: "x", StatusCallback: "nope" }, 21609],
      [{ To: "+14155550123", From: "+15005550007", Body: "x" }, 21606],
    ];
    for (const [fields, code] of cases) {
      const { status, body } = await post(fields);
      assert.equal(status, 400, JSON.stringify(fields));
      assert.equal(body.code, code, JSON.stringify(fields));
      assert.equal(body.status, 400);
      assert.equal(body.more_info, `https://www.twilio.com/docs/errors/${code}`);
      assert.equal(typeof body.message, "string");
    }
    const ok = await post({ To: "+14155550123", From: from, Body: "hi" });
    assert.equal(ok.status, 201);
    assert.match(ok.body.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(
      ok.body.uri,
      `/2010-04-01/Accounts/${fake.accountSid}/Messages/${ok.body.sid}.json`,
    );
    assert.match(ok.body.date_created, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);

    const unauthorised = await fetch(
      `${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Messages.json`,
      {
        method: "POST",
        body: new URLSearchParams({ To: "+14155550123", From: from, Body: "x" }),
      },
    );
    assert.equal(unauthorised.status, 401);
    assert.equal((await unauthorised.json()).code, 20003);
    assert.equal(fake.requests.length, cases.length + 2);
  } finally {
    await fake.close();
  }
});

test("fake twilio: counts segments as GSM-7 or UCS-2", () => {
  assert.equal(segmentCount("a".repeat(160)), 1);
  assert.equal(segmentCount("a".repeat(161)), 2);
  assert.equal(segmentCount("[".repeat(80)), 1); // extension characters take two septets
  assert.equal(segmentCount("[".repeat(81)), 2);
  assert.equal(segmentCount("é".repeat(160)), 1); // in the GSM basic set
  assert.equal(segmentCount("ê".repeat(70)), 1);
  assert.equal(segmentCount("ê".repeat(71)), 2);
});

test("fake twilio: deliver() posts a status callback signed with the auth token", async () => {
  const fake = startFakeTwilio();
  let seen: { valid: boolean; params: Record<string, string> } | undefined;
  const hatch = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const params = Object.fromEntries(new URLSearchParams(await req.text()));
    const valid = twilio.validateRequest(
      fake.authToken,
      req.headers.get("x-twilio-signature") ?? "",
      req.url,
      params,
    );
    seen = { valid, params };
    return new Response(null, { status: 204 });
  });
  try {
    const callback = `http://127.0.0.1:${hatch.addr.port}/webhooks/twilio/status`;
    const res = await fetch(`${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Messages.json`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${fake.accountSid}:${fake.authToken}`)}` },
      body: new URLSearchParams({
        To: "+14155550123",
        From: "+15005550006",
        Body: "hi",
        StatusCallback: callback,
      }),
    });
    const { sid } = await res.json();
    const answer = await fake.deliver(sid);
    assert.equal(answer.status, 204);
    assert.ok(seen?.valid, "the signature validates");
    assert.equal(seen?.params.MessageSid, sid);
    assert.equal(seen?.params.MessageStatus, "delivered");
    assert.equal(fake.messages.get(sid)?.status, "delivered");
  } finally {
    await hatch.shutdown();
    await fake.close();
  }
});

test("fake sendgrid: validates like SendGrid and lists every problem", () => {
  const valid = {
    personalizations: [{ to: [{ email: "ada@example.com" }] }],
    from: { email: "team@example.com" },
    subject: "Hi",
    content: [{ type: "text/plain", value: "Hi" }, { type: "text/html", value: "<p>Hi</p>" }],
  };
  assert.deepEqual(validateMailSend(valid), []);
  const fields = (body: unknown) => validateMailSend(body).map((e) => e.field);
  assert.deepEqual(fields({ ...valid, personalizations: [] }), ["personalizations"]);
  assert.deepEqual(fields({ ...valid, from: undefined }), ["from.email"]);
  assert.deepEqual(fields({ ...valid, subject: undefined }), ["subject"]);
  assert.deepEqual(
    fields({
      ...valid,
      personalizations: [{ to: [{ email: "a@x.com" }], subject: "p" }],
      subject: undefined,
    }),
    [],
    "a subject on every personalization is enough",
  );
  assert.deepEqual(fields({ ...valid, content: undefined }), ["content"]);
  assert.deepEqual(fields({ ...valid, content: [{ type: "text/plain", value: "" }] }), [
    "content.0.value",
  ]);
  assert.deepEqual(fields({ ...valid, content: [...valid.content].reverse() }), ["content"]);
  assert.deepEqual(
    fields({
      ...valid,
      personalizations: [{ to: [{ email: "a@x.com" }], bcc: [{ email: "A@x.com" }] }],
    }),
    ["personalizations.0"],
  );
  assert.deepEqual(fields({ ...valid, headers: { "Reply-To": "x@y.com" } }), ["headers"]);
  assert.deepEqual(fields({ ...valid, custom_args: { n: 1 } }), ["custom_args.n"]);
  assert.deepEqual(
    fields({ ...valid, attachments: [{ content: "not base64!", filename: "" }] }),
    ["attachments.0.content", "attachments.0.filename"],
  );
});

test("fake sendgrid: bearer auth, 400 list, 202 with X-Message-Id", async () => {
  const fake = startFakeSendgrid();
  try {
    const send = (body: unknown, key = fake.apiKey) =>
      fetch(`${fake.url}/v3/mail/send`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const unauthorised = await send({}, "SG.nope");
    assert.equal(unauthorised.status, 401);
    assert.deepEqual(await unauthorised.json(), {
      errors: [{
        message: "The provided authorization grant is invalid, expired, or revoked",
        field: null,
        help: null,
      }],
    });
    const bad = await send({ from: { email: "team@example.com" } });
    assert.equal(bad.status, 400);
    assert.ok((await bad.json()).errors.length >= 3);
    const ok = await send({
      personalizations: [{ to: [{ email: "ada@example.com" }] }],
      from: { email: "team@example.com" },
      subject: "Hi",
      content: [{ type: "text/plain", value: "Hi" }],
    });
    assert.equal(ok.status, 202);
    assert.equal(await ok.text(), "");
    assert.match(ok.headers.get("x-message-id") ?? "", /^[A-Za-z0-9_-]{22}$/);
    assert.equal(fake.accepted.length, 1);
  } finally {
    await fake.close();
  }
});
