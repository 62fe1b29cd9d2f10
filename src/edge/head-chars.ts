// Character checks for HTTP/1 heads (RFC 9110 §5.6.2, RFC 9112 §2.2), by char code in place:
// a regular expression with look-behind over every head cost the edge more than its parsing.

/** Token characters (method, header names), by char code below 128. */
const tokenChars = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") tokenChars[c.charCodeAt(0)] = 1;

/** Whether characters `start` to `end` of `text` are a token (at least one character). */
export function isToken(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || tokenChars[c] === 0) return false;
  }
  return true;
}

/** Whether `head` holds a control character other than HTAB, DEL, or a CR or LF that is not part of a CRLF. */
export function hasBadHeadChar(head: string): boolean {
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c >= 32 && c !== 127) || c === 9) continue;
    if (c === 13 && head.charCodeAt(i + 1) === 10) {
      i++;
      continue;
    }
    return true;
  }
  return false;
}
