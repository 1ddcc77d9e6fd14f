// A multipart/form-data reader that keeps every part's bytes as sent. The platform's
// Request.formData() decodes text fields as UTF-8, but SendGrid's Inbound Parse sends each field
// in the charset its `charsets` field names, so the bytes are needed to decode them right.

/** One part of a multipart/form-data body; `data` is a view into the body, not a copy. */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Uint8Array;
}

const encoder = new TextEncoder();
const CRLF_CRLF = encoder.encode("\r\n\r\n");

/** The boundary of a multipart Content-Type, or undefined when it names none. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\/form-data\b/i.test(contentType)) return undefined;
  const m = contentType.match(/;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i);
  const boundary = m?.[1] ?? m?.[2];
  return boundary && boundary.length <= 200 ? boundary : undefined;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  let i = from;
  while (i <= last) {
    // The native search finds candidates fast; only they are compared in full.
    i = haystack.indexOf(first, i);
    if (i < 0 || i > last) return -1;
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
    i++;
  }
  return -1;
}

function param(header: string, name: string): string | undefined {
  // RFC 5987's name*=charset''percent-encoded wins over the plain form when both are present.
  const extended = header.match(new RegExp(`;\\s*${name}\\*=([^']*)'[^']*'([^;]+)`, "i"));
  if (extended) {
    try {
      return decodeURIComponent(extended[2].trim());
    } catch {
      // Fall through to the plain parameter.
    }
  }
  const m = header.match(new RegExp(`;\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, "i"));
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2].trim();
}

function parseHeaders(block: string): { disposition?: string; contentType?: string } {
  const out: { disposition?: string; contentType?: string } = {};
  // Folded header lines continue with whitespace.
  for (const line of block.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-disposition") out.disposition = value;
    else if (name === "content-type") out.contentType = value;
  }
  return out;
}

/** Splits a multipart/form-data body into its parts; `undefined` when it is not well formed. */
export function parseMultipart(body: Uint8Array, boundary: string): FormPart[] | undefined {
  const dashBoundary = encoder.encode(`--${boundary}`);
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  // The first boundary may open the body without the CRLF that precedes the others.
  let pos = indexOf(body, dashBoundary, 0);
  if (pos < 0) return undefined;
  pos += dashBoundary.length;
  const parts: FormPart[] = [];
  const decoder = new TextDecoder();
  while (pos < body.length) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // "--": the closing boundary
    // Transport padding after the boundary, then CRLF.
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    else return undefined;
    // A part with no headers has its blank line right away.
    const emptyHeaders = body[pos] === 0x0d && body[pos + 1] === 0x0a;
    const headerEnd = emptyHeaders ? pos : indexOf(body, CRLF_CRLF, pos);
    if (headerEnd < 0) return undefined;
    const headerBlock = decoder.decode(body.subarray(pos, headerEnd));
    const dataStart = emptyHeaders ? pos + 2 : headerEnd + 4;
    const dataEnd = indexOf(body, delimiter, dataStart);
    if (dataEnd < 0) return undefined;
    const headers = parseHeaders(headerBlock);
    const name = headers.disposition ? param(headers.disposition, "name") : undefined;
    if (name !== undefined) {
      parts.push({
        name,
        filename: headers.disposition ? param(headers.disposition, "filename") : undefined,
        contentType: headers.contentType,
        data: body.subarray(dataStart, dataEnd),
      });
    }
    pos = dataEnd + delimiter.length;
  }
  return undefined;
}
