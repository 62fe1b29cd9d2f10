// Header names the edge acts on are recognised in any casing (credentials are stripped and
// hop-by-hop headers dropped however a client spells them), and nothing else is taken for one;
// head characters are checked as RFC 9112 allows them.
import { describe, expect, it } from 'vitest';
import { hasBadHeadChar, isToken } from '../../src/edge/head-chars.js';
import {
  apiKeyHeader,
  authorizationHeader,
  connectionHeader,
  contentLengthHeader,
  cookieHeader,
  dateHeader,
  forwardedForHeader,
  forwardedHostHeader,
  forwardedProtoHeader,
  hasToken,
  headerKind,
  hostHeader,
  isHopByHopKind,
  keepAliveHeader,
  otherHeader,
  proxyAuthorizationHeader,
  proxyConnectionHeader,
  teHeader,
  trailerHeader,
  transferEncodingHeader,
  upgradeHeader,
} from '../../src/edge/header-names.js';

const known: [string, number][] = [
  ['host', hostHeader],
  ['authorization', authorizationHeader],
  ['x-api-key', apiKeyHeader],
  ['cookie', cookieHeader],
  ['connection', connectionHeader],
  ['keep-alive', keepAliveHeader],
  ['content-length', contentLengthHeader],
  ['transfer-encoding', transferEncodingHeader],
  ['proxy-connection', proxyConnectionHeader],
  ['proxy-authorization', proxyAuthorizationHeader],
  ['te', teHeader],
  ['trailer', trailerHeader],
  ['upgrade', upgradeHeader],
  ['x-forwarded-for', forwardedForHeader],
  ['x-forwarded-proto', forwardedProtoHeader],
  ['x-forwarded-host', forwardedHostHeader],
  ['date', dateHeader],
];

/** `name` with each letter's case chosen by the bits of `seed`. */
function casing(name: string, seed: number): string {
  return [...name].map((c, i) => ((seed >> i % 30) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** A fresh string, as a parser makes it (not the literal the code compares with). */
const fresh = (text: string) => Buffer.from(text, 'latin1').toString('latin1');

describe('header names', () => {
  it('recognises each name in every casing', () => {
    for (const [name, kind] of known) {
      const spellings = [name, name.toUpperCase(), name.replace(/(^|-)([a-z])/g, (m) => m.toUpperCase())];
      for (let seed = 0; seed < 64; seed++) spellings.push(casing(name, seed * 2_654_435_761));
      for (const spelling of spellings) expect(headerKind(fresh(spelling)), spelling).toBe(kind);
    }
  });

  it('takes no other name for one of them', () => {
    const others = ['hosts', 'hos', 'Content-Type', 'Content-Lengths', 'X-Forwarded-Port', 'Connectio', 'Keep-Alivf', 'tf', 'Authorisation', 'X-Api-Keys', 'Cookie2', 'Trailers', 'Upgrade-Insecure-Requests', 'Sec-Fetch-Site', 'User-Agent'];
    for (const name of others) expect(headerKind(fresh(name)), name).toBe(otherHeader);
  });

  it('treats the hop-by-hop names as hop-by-hop, and only them', () => {
    const hop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'transfer-encoding']);
    for (const [name, kind] of known) expect(isHopByHopKind(kind), name).toBe(hop.has(name));
  });

  it('finds a token in a list whatever its case and spacing, and not inside another token', () => {
    expect(hasToken('Keep-Alive', 'keep-alive')).toBe(true);
    expect(hasToken('keep-alive, Close', 'close')).toBe(true);
    expect(hasToken('TE,\tclose', 'close')).toBe(true);
    expect(hasToken('closed', 'close')).toBe(false);
    expect(hasToken('x-close, enclose', 'close')).toBe(false);
    expect(hasToken('Upgrade', 'upgrade')).toBe(true);
  });
});

describe('head characters', () => {
  it('accepts CRLF line ends, tabs and obs-text, and nothing else below 32 nor DEL', () => {
    expect(hasBadHeadChar('HTTP/1.1 200 OK\r\nX-A: one\ttwo\r\nX-B: caf\xe9')).toBe(false);
    for (const bad of ['\n', '\r', '\r\r\n', '\x00', '\x1b', '\x7f', '\x0b', 'a\nb']) {
      expect(hasBadHeadChar(`HTTP/1.1 200 OK\r\nX-A: ${bad}`), JSON.stringify(bad)).toBe(true);
    }
    expect(hasBadHeadChar('HTTP/1.1 200 OK\r')).toBe(true);
  });

  it('accepts tokens and refuses separators, spaces and empty names', () => {
    expect(isToken("X-A!#$%&'*+.^_`|~09az", 0, 21)).toBe(true);
    for (const bad of ['X A', 'X(A)', 'X:A', 'X"A', 'X/A', 'X\xe9A', 'X\tA', '']) expect(isToken(bad, 0, bad.length), bad).toBe(false);
    expect(isToken('ab cd', 3, 5)).toBe(true);
  });
});
