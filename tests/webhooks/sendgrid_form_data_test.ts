// The multipart/form-data reader behind Inbound Parse: bytes kept as sent, odd but legal framing
// read, broken bodies refused rather than guessed at.
import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";
import { multipartBoundary, parseMultipart } from "@/lib/providers/form_data.ts";
import { htmlToText, parseHeaderBlock } from "@/lib/providers/sendgrid_inbound.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

test("the platform's own FormData encoding reads back field by field, files as bytes", async () => {
  const form = new FormData();
  form.append("subject", "Héllo, wörld");
  form.append("attachment1", new File([new Uint8Array([0, 255, 13, 10, 45, 45])], "x.bin"));
  form.append("empty", "");
  const req = new Request("http://x/", { method: "POST", body: form });
  const boundary = multipartBoundary(req.headers.get("content-type") ?? undefined)!;
  const parts = parseMultipart(new Uint8Array(await req.arrayBuffer()), boundary)!;
  assert.deepEqual(parts.map((p) => p.name), ["subject", "attachment1", "empty"]);
  assert.equal(dec.decode(parts[0].data), "Héllo, wörld");
  assert.equal(parts[1].filename, "x.bin");
  assert.deepEqual([...parts[1].data], [0, 255, 13, 10, 45, 45]);
  assert.equal(parts[2].data.length, 0);
});

test("quoted boundaries, RFC 5987 file names and escaped quotes are understood", () => {
  assert.equal(multipartBoundary('multipart/form-data; boundary="a b;c"'), "a b;c");
  assert.equal(multipartBoundary("application/json"), undefined);
  const body = enc.encode(
    "--B\r\n" +
      'Content-Disposition: form-data; name="f"; filename="plain.txt"; ' +
      "filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n\r\nA\r\n" +
      '--B\r\nContent-Disposition: form-data; name="say \\"hi\\""\r\n\r\nB\r\n--B--\r\n',
  );
  const parts = parseMultipart(body, "B")!;
  assert.equal(parts[0].filename, "résumé.txt");
  assert.equal(parts[1].name, 'say "hi"');
  assert.equal(dec.decode(parts[1].data), "B");
});

test("a body cut short or without its boundary is refused, not guessed at", () => {
  const cut = enc.encode('--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end');
  assert.equal(parseMultipart(cut, "B"), undefined);
  assert.equal(parseMultipart(enc.encode("hello"), "B"), undefined);
});

test("raw headers unfold, repeat into lists, and keep names lowercased", () => {
  const headers = parseHeaderBlock(
    "Received: from a\r\n by b\r\nReceived: from c\r\nSubject: Hi\r\nX-Empty:\r\n",
  );
  assert.deepEqual(headers, {
    received: ["from a by b", "from c"],
    subject: "Hi",
    "x-empty": "",
  });
});

test("an HTML-only email gets a readable text body", () => {
  assert.equal(
    htmlToText("<style>p{}</style><p>Hi&nbsp;there</p><p>A &amp; B<br>C &lt;3</p>"),
    "Hi there\nA & B\nC <3",
  );
});
