// Header rewriting between client and app: drops hop-by-hop headers (and those the Connection
// header names), Berth's own credentials (API keys, the share cookie) and forged X-Forwarded-*,
// then appends the edge's X-Forwarded-For/Proto/Host. Works on raw header arrays, as Node
// passes them, so no header object is built per request.
import { carriesBerthKey } from './api-key.js';
import type { RequestFacts } from './front/client-exchange.js';
import {
  apiKeyHeader,
  authorizationHeader,
  connectionHeader,
  cookieHeader,
  expectHeader,
  forwardedForHeader,
  forwardedHostHeader,
  forwardedProtoHeader,
  headerKind,
  hostHeader,
  isHopByHopKind,
  otherHeader,
} from './header-names.js';
import { shareCookieName, withoutShareCookie } from './share-token.js';

/*
 * Never forwarded in either direction (RFC 9110 §7.6.1, plus legacy Proxy-Connection):
 * Connection, Keep-Alive, Proxy-*, TE, Trailer, Upgrade, and Transfer-Encoding too, as each hop
 * frames the body itself. Request-only: Expect (answered by the edge) and X-Forwarded-*
 * (replaced by the edge's values). See header-names.ts.
 */

export interface ForwardOptions {
  /** `http` or `https`: how clients reach the plain listener (`https` behind a TLS proxy); TLS clients are always `https`. */
  proto: string;
  /** Keep X-Forwarded-Proto/Host sent by a trusted proxy in front of the edge instead of replacing them. */
  trustForwarded: boolean;
  /** For WebSocket handshakes: keep `Connection: upgrade` and `Upgrade`. */
  upgrade: boolean;
}

/** Extra header names listed in a Connection header, other than keep-alive/close/upgrade. */
function connectionTokens(value: string | undefined): Set<string> | null {
  if (value === undefined || value.length < 6) return null;
  const only = value.length === 10 || value.length === 5 ? value.toLowerCase() : '';
  if (only === 'keep-alive' || only === 'close') return null;
  let tokens: Set<string> | null = null;
  for (const raw of value.split(',')) {
    const token = raw.trim().toLowerCase();
    if (token === '' || token === 'keep-alive' || token === 'close' || token === 'upgrade') continue;
    (tokens ??= new Set()).add(token);
  }
  return tokens;
}

/** What the rewrite reads of a client request. */
export interface ForwardedRequest {
  readonly rawHeaders: readonly string[];
  readonly headers: RequestFacts;
  /** Without an IPv4-mapped `::ffff:` prefix. */
  readonly remoteAddress: string;
  readonly secure: boolean;
}

/** Headers for the request to the app, as a raw [name, value, …] array. */
export function upstreamRequestHeaders(req: ForwardedRequest, options: ForwardOptions): string[] {
  const raw = req.rawHeaders;
  const extra = connectionTokens(req.headers.connection);
  const out: string[] = [];
  let fwdFor: string | null = null;
  let fwdProto: string | null = null;
  let fwdHost: string | null = null;
  let host: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    const value = raw[i + 1] ?? '';
    if (extra !== null && extra.has(name.toLowerCase())) continue;
    const kind = headerKind(name);
    switch (kind) {
      case otherHeader:
        out.push(name, value);
        break;
      case forwardedForHeader:
        fwdFor = fwdFor === null ? value : `${fwdFor}, ${value}`;
        break;
      case forwardedProtoHeader:
        fwdProto ??= value;
        break;
      case forwardedHostHeader:
        fwdHost ??= value;
        break;
      case hostHeader:
        host ??= value;
        out.push(name, value);
        break;
      case authorizationHeader:
        if (!carriesBerthKey('authorization', value)) out.push(name, value);
        break;
      case apiKeyHeader:
        if (!carriesBerthKey('x-api-key', value)) out.push(name, value);
        break;
      case cookieHeader:
        if (value.includes(shareCookieName)) {
          const kept = withoutShareCookie(value);
          if (kept !== null) out.push(name, kept);
        } else {
          out.push(name, value);
        }
        break;
      default:
        // Hop-by-hop headers, and Expect (answered by the edge), are dropped; the rest pass.
        if (kind !== expectHeader && !isHopByHopKind(kind)) out.push(name, value);
        break;
    }
  }
  const client = req.remoteAddress;
  out.push('x-forwarded-for', fwdFor === null ? client : `${fwdFor}, ${client}`);
  const proto = req.secure ? 'https' : options.proto;
  out.push('x-forwarded-proto', options.trustForwarded && fwdProto !== null ? fwdProto : proto);
  out.push('x-forwarded-host', options.trustForwarded && fwdHost !== null ? fwdHost : (host ?? ''));
  if (options.upgrade) out.push('connection', 'Upgrade', 'upgrade', req.headers.upgrade ?? 'websocket');
  return out;
}

function text(value: Buffer | string | undefined): string {
  return value === undefined ? '' : typeof value === 'string' ? value : value.toString('latin1');
}

type RawHeaders = readonly (Buffer | string)[] | NodeJS.Dict<string | string[]> | null | undefined;

/** Headers of the app's response for the client, as a raw array (duplicates such as Set-Cookie kept). */
export function downstreamResponseHeaders(rawHeaders: RawHeaders): string[] {
  const out: string[] = [];
  if (!Array.isArray(rawHeaders)) return out;
  let extra: Set<string> | null = null;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = text(rawHeaders[i]);
    const kind = headerKind(name);
    if (isHopByHopKind(kind)) {
      if (kind === connectionHeader) extra = connectionTokens(text(rawHeaders[i + 1]));
      continue;
    }
    out.push(name, text(rawHeaders[i + 1]));
  }
  if (extra === null) return out;
  const named = extra;
  return out.filter((_, i) => !named.has((out[i - (i % 2)] ?? '').toLowerCase()));
}
