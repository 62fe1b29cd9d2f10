// The header names the edge acts on, recognised without lower-casing: their usual spellings by
// whole-string comparison, any other spelling by a switch on the length and a case-insensitive
// comparison in place.
// Lower-casing every header of every request and response was the largest single cost of the
// edge's own code (callgrind, bench/edge-instructions.ts).

export const otherHeader = 0;
export const hostHeader = 1;
export const acceptHeader = 2;
export const cookieHeader = 3;
export const expectHeader = 4;
export const upgradeHeader = 5;
export const apiKeyHeader = 6;
export const connectionHeader = 7;
export const keepAliveHeader = 8;
export const authorizationHeader = 9;
export const contentLengthHeader = 10;
export const transferEncodingHeader = 11;
export const proxyConnectionHeader = 12;
export const proxyAuthenticateHeader = 13;
export const proxyAuthorizationHeader = 14;
export const teHeader = 15;
export const trailerHeader = 16;
export const forwardedForHeader = 17;
export const forwardedProtoHeader = 18;
export const forwardedHostHeader = 19;
export const dateHeader = 20;

/**
 * Whether `name` is `lower` (lower case, same length) ignoring ASCII case. `lower` is a token and
 * `name` a token or a header value (no CR, LF or other control character): for them `c | 0x20`
 * folds only letters.
 */
function sameName(name: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const c = name.charCodeAt(i);
    if (c !== lower.charCodeAt(i) && (c | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Which of the edge's headers `name` (a valid token) is, or otherHeader. Usual spellings (Title-Case,
 * as Node, browsers and most servers send them, and lower case, as HTTP/2 and many clients) are
 * compared whole; any other by kindIgnoringCase.
 */
export function headerKind(name: string): number {
  switch (name.length) {
    case 4:
      if (name === 'Host' || name === 'host') return hostHeader;
      if (name === 'Date' || name === 'date') return dateHeader;
      break;
    case 10:
      if (name === 'Connection' || name === 'connection') return connectionHeader;
      if (name === 'Keep-Alive' || name === 'keep-alive') return keepAliveHeader;
      break;
    case 12:
      // Content-Type: the commonest response header the edge does not act on.
      return otherHeader;
    case 14:
      if (name === 'Content-Length' || name === 'content-length') return contentLengthHeader;
      break;
    case 15:
      if (name === 'x-forwarded-for' || name === 'X-Forwarded-For') return forwardedForHeader;
      break;
    case 16:
      if (name === 'x-forwarded-host' || name === 'X-Forwarded-Host') return forwardedHostHeader;
      break;
    case 17:
      if (name === 'x-forwarded-proto' || name === 'X-Forwarded-Proto') return forwardedProtoHeader;
      if (name === 'Transfer-Encoding' || name === 'transfer-encoding') return transferEncodingHeader;
      break;
    default:
      break;
  }
  return kindIgnoringCase(name);
}

function kindIgnoringCase(name: string): number {
  switch (name.length) {
    case 2:
      return sameName(name, 'te') ? teHeader : otherHeader;
    case 4:
      return sameName(name, 'host') ? hostHeader : sameName(name, 'date') ? dateHeader : otherHeader;
    case 6:
      if (sameName(name, 'cookie')) return cookieHeader;
      if (sameName(name, 'accept')) return acceptHeader;
      return sameName(name, 'expect') ? expectHeader : otherHeader;
    case 7:
      return sameName(name, 'upgrade') ? upgradeHeader : sameName(name, 'trailer') ? trailerHeader : otherHeader;
    case 9:
      return sameName(name, 'x-api-key') ? apiKeyHeader : otherHeader;
    case 10:
      return sameName(name, 'connection') ? connectionHeader : sameName(name, 'keep-alive') ? keepAliveHeader : otherHeader;
    case 13:
      return sameName(name, 'authorization') ? authorizationHeader : otherHeader;
    case 14:
      return sameName(name, 'content-length') ? contentLengthHeader : otherHeader;
    case 15:
      return sameName(name, 'x-forwarded-for') ? forwardedForHeader : otherHeader;
    case 16:
      if (sameName(name, 'x-forwarded-host')) return forwardedHostHeader;
      return sameName(name, 'proxy-connection') ? proxyConnectionHeader : otherHeader;
    case 17:
      if (sameName(name, 'transfer-encoding')) return transferEncodingHeader;
      return sameName(name, 'x-forwarded-proto') ? forwardedProtoHeader : otherHeader;
    case 18:
      return sameName(name, 'proxy-authenticate') ? proxyAuthenticateHeader : otherHeader;
    case 19:
      return sameName(name, 'proxy-authorization') ? proxyAuthorizationHeader : otherHeader;
    default:
      return otherHeader;
  }
}

/** Never forwarded in either direction (RFC 9110 §7.6.1, plus legacy Proxy-Connection); each hop frames bodies itself. */
export function isHopByHopKind(kind: number): boolean {
  switch (kind) {
    case connectionHeader:
    case keepAliveHeader:
    case proxyConnectionHeader:
    case proxyAuthenticateHeader:
    case proxyAuthorizationHeader:
    case teHeader:
    case trailerHeader:
    case upgradeHeader:
    case transferEncodingHeader:
      return true;
    default:
      return false;
  }
}

/** Whether `list` (a comma-separated header value) holds `token` (lower case) as one of its items, ignoring case. */
export function hasToken(list: string, token: string): boolean {
  // The usual value is the token alone (`keep-alive`, `close`): compared in place.
  if (list.length === token.length) return sameName(list, token);
  const lower = list.toLowerCase();
  let at = lower.indexOf(token);
  while (at >= 0) {
    const before = at === 0 ? 44 : lower.charCodeAt(at - 1);
    const after = at + token.length >= lower.length ? 44 : lower.charCodeAt(at + token.length);
    if ((before === 44 || before === 32 || before === 9) && (after === 44 || after === 32 || after === 9)) return true;
    at = lower.indexOf(token, at + 1);
  }
  return false;
}
