// The HTML part of outgoing email. Email clients (Outlook's Word engine, Gmail's sanitiser) drop
// or ignore much of CSS, so the layout is tables with inline styles and nothing else: no <style>
// block the layout depends on, no web fonts, no animation, no script.

/** What the template needs: the subject, the plain body, and optionally the author's own HTML. */
export interface EmailTemplateInput {
  subject: string;
  body: string;
  /** HTML written by the sender; used as the content instead of the escaped plain body. */
  html?: string;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for use in HTML content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial," +
  "sans-serif;";
const PARAGRAPH = `margin:0 0 16px 0;${FONT}font-size:16px;line-height:24px;color:#1f2328;`;

/** Turns plain text into escaped paragraphs: blank lines part paragraphs, newlines become <br>. */
export function plainToHtml(body: string): string {
  return body.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n+/)
    .map((p) => p.replace(/^\n+|\n+$/g, ""))
    .filter((p) => p.trim() !== "")
    .map((p) => `<p style="${PARAGRAPH}">${escapeHtml(p).replace(/\n/g, "<br>\n")}</p>`)
    .join("\n");
}

// The sender's HTML is theirs to shape, but never runs code: no email client executes it, spam
// filters punish it, and the same HTML is shown in our own inbox.
function sanitiseAuthorHtml(html: string): string {
  let out = html.match(/<body[^>]*>([\s\S]*)<\/body>/i)?.[1] ?? html;
  // Repeat until nothing changes: one removal can splice a new tag together ("<scr<script>ipt>").
  for (let previous = ""; previous !== out;) {
    previous = out;
    out = out
      .replace(/<(script|iframe|object|embed|form)\b[\s\S]*?<\/\1\s*>/gi, "")
      .replace(/<\/?(script|iframe|object|embed|form|meta|link|base)\b[^>]*>/gi, "")
      .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, "")
      .replace(/(href|src)\s*=\s*(["']?)\s*javascript:[^"'\s>]*\2/gi, '$1="#"');
  }
  return out;
}

function preheader(text: string): string {
  const preview = text.replace(/\s+/g, " ").trim().slice(0, 140);
  // Shown by clients as the inbox preview line, hidden in the message itself.
  return `<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;` +
    `opacity:0;overflow:hidden;mso-hide:all;">${escapeHtml(preview)}</div>`;
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, " ").replace(/&nbsp;/g, " ");
}

/** Renders a complete, email-client-safe HTML document for an outgoing email. */
export function renderEmailHtml(input: EmailTemplateInput): string {
  const content = input.html !== undefined && input.html.trim() !== ""
    ? sanitiseAuthorHtml(input.html)
    : plainToHtml(input.body);
  const previewSource = input.body.trim() ? input.body : stripTags(input.html ?? "");
  return `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title>${escapeHtml(input.subject)}</title>
</head>
<body style="margin:0;padding:0;width:100%;background-color:#f4f5f7;">
${preheader(previewSource)}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;background-color:#f4f5f7;">
<tr>
<td align="center" style="padding:24px 12px;">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e3e5e8;border-radius:6px;">
<tr>
<td style="padding:28px 32px 12px 32px;${FONT}font-size:16px;line-height:24px;color:#1f2328;word-wrap:break-word;overflow-wrap:break-word;">
${content}
</td>
</tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td>
</tr>
</table>
</body>
</html>
`;
}
