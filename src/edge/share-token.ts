// Share links for private apps: the token arrives once as `?share=TOKEN`, is checked by its
// sha256 against the table, and then travels in a host-only HttpOnly cookie. This module reads
// and writes both places and removes them before a request reaches the app.
import { createHash } from 'node:crypto';

export const shareCookieName = 'berth_share';
export const shareParam = 'share';

const tokenShape = /^[A-Za-z0-9._~-]{1,512}$/;

/** sha256 hex of a token, or null when the token could not have been issued (keeps odd bytes out of headers). */
export function hashShareToken(token: string): string | null {
  return tokenShape.test(token) ? createHash('sha256').update(token).digest('hex') : null;
}

/** The share cookie's value from a Cookie header, or null. */
export function shareTokenFromCookie(cookieHeader: string | undefined): string | null {
  if (cookieHeader === undefined || !cookieHeader.includes(shareCookieName)) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== shareCookieName) continue;
    return part.slice(eq + 1).trim();
  }
  return null;
}

/** The Cookie header without Berth's share cookie; null when nothing else is left. */
export function withoutShareCookie(cookieHeader: string): string | null {
  if (!cookieHeader.includes(shareCookieName)) return cookieHeader;
  const kept = cookieHeader
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0 && part.slice(0, Math.max(part.indexOf('='), 0)).trim() !== shareCookieName);
  return kept.length === 0 ? null : kept.join('; ');
}

export interface ShareParam {
  token: string;
  /** The same path and query without the share parameter. */
  url: string;
}

/** Splits `?share=TOKEN` off a request target, keeping every other parameter as it was sent. */
export function takeShareParam(url: string): ShareParam | null {
  const q = url.indexOf('?');
  if (q < 0 || !url.includes(`${shareParam}=`, q)) return null;
  let token: string | null = null;
  const kept: string[] = [];
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    if (token === null && eq >= 0 && pair.slice(0, eq) === shareParam) {
      try {
        token = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
      } catch {
        token = '';
      }
      continue;
    }
    kept.push(pair);
  }
  if (token === null) return null;
  const path = url.slice(0, q);
  return { token, url: kept.length === 0 ? path : `${path}?${kept.join('&')}` };
}

/** Set-Cookie for a verified token: host-only (no Domain), HttpOnly, Lax, expiring with the share. */
export function shareSetCookie(token: string, options: { secure: boolean; maxAgeSeconds: number | null }): string {
  let cookie = `${shareCookieName}=${token}; Path=/; HttpOnly; SameSite=Lax`;
  if (options.maxAgeSeconds !== null) cookie += `; Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`;
  if (options.secure) cookie += '; Secure';
  return cookie;
}
