import assert from "node:assert/strict";
import { test } from "@/tests/helpers.ts";
import { escapeHtml, plainToHtml, renderEmailHtml } from "@/lib/providers/email_template.ts";

test("email template: a hostile plain body is escaped, never markup", () => {
  const html = renderEmailHtml({
    subject: `</title><script>alert("s")</script>`,
    body: `<script>alert('x')</script>\n<img src=x onerror="alert(1)"> & "quotes"`,
  });
  assert.ok(!/<script/i.test(html), "no script element");
  assert.ok(!/<img/i.test(html), "no image element");
  assert.ok(html.includes("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;<br>"));
  assert.ok(
    html.includes("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;quotes&quot;"),
  );
  assert.ok(html.includes("<title>&lt;/title&gt;&lt;script&gt;alert(&quot;s&quot;)"));
});

test("email template: blank lines make paragraphs, single newlines make <br>", () => {
  assert.equal(
    plainToHtml("Hi Ada,\r\n\r\nYour order\nshipped.\n\n\n\nThanks"),
    [
      `<p style="margin:0 0 16px 0;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',` +
      `Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;color:#1f2328;">Hi Ada,</p>`,
      `<p style="margin:0 0 16px 0;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',` +
      `Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;color:#1f2328;">` +
      `Your order<br>\nshipped.</p>`,
      `<p style="margin:0 0 16px 0;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',` +
      `Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;color:#1f2328;">Thanks</p>`,
    ].join("\n"),
  );
  assert.equal(plainToHtml("   \n\n"), "");
});

test("email template: the layout is email-client safe (tables, inline CSS, 600px, no style block)", () => {
  const html = renderEmailHtml({ subject: "Hello", body: "Hi there" });
  assert.match(html, /^<!DOCTYPE html>/);
  assert.ok(!/<style/i.test(html), "no <style> block");
  assert.ok(!/@keyframes|animation|transition/i.test(html), "no animation");
  assert.ok(!/<link|<script/i.test(html), "nothing external, nothing executable");
  assert.match(html, /<table role="presentation"[^>]*max-width:600px/);
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(html, /<title>Hello<\/title>/);
  // The preview line clients show in the list, hidden in the message itself.
  assert.match(html, /<div style="display:none;[^"]*mso-hide:all;">Hi there<\/div>/);
});

test("email template: the sender's HTML becomes the content, stripped of anything that runs", () => {
  const html = renderEmailHtml({
    subject: "News",
    body: "News in plain text",
    html: `<html><head><script>evil()</script></head><body><h1 onclick="evil()">News</h1>` +
      `<p>Read <a href="javascript:evil()">this</a> and <a href="https://example.com">that</a></p>` +
      `<scr<script>x</script>ipt>evil()</script><iframe src="https://evil.example"></iframe></body></html>`,
  });
  assert.ok(html.includes("<h1>News</h1>"));
  assert.ok(html.includes(`<a href="https://example.com">that</a>`));
  assert.ok(!/<script|<iframe|onclick|javascript:/i.test(html));
  assert.ok(!html.includes("News in plain text</p>"), "the plain body is not rendered as well");
  assert.match(html, /mso-hide:all;">News in plain text<\/div>/);
});

test("email template: escapeHtml escapes the five significant characters", () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
  );
});
