// Session affinity, for apps that turn it on: a browser's requests go to the instance that
// answered its first one. The edge names that instance in a cookie (a digest of its revision and
// address, nothing a client could read anything from) and honours it while the instance still
// serves the request's choice: one of the split's revisions, or the tagged one for a tag URL.
// A gone or drained instance's cookie is replaced by the next answer's.
import type { CompiledApp, CompiledTarget, UpstreamEndpoint } from './compiled-table.js';

export const affinityCookieName = 'berth-affinity';

const carried = new RegExp(`(?:^|;)\\s*${affinityCookieName}=([A-Za-z0-9_-]{1,64})`);

/** The token a request carries, if any. */
export function carriedToken(cookieHeader: string | undefined): string | null {
  if (cookieHeader === undefined || !cookieHeader.includes(affinityCookieName)) return null;
  return carried.exec(cookieHeader)?.[1] ?? null;
}

export interface Pinned {
  target: CompiledTarget;
  endpoint: UpstreamEndpoint;
}

/** The endpoint a carried token names, when it still serves this request (a revision of the split, or the tagged one). */
export function pinnedEndpoint(app: CompiledApp, token: string | null, tag: string | null): Pinned | null {
  if (token === null || app.pins === null) return null;
  const pinned = app.pins.get(token);
  if (pinned === undefined) return null;
  const serves = tag !== null ? app.byTag.get(tag) === pinned.target : app.weighted.includes(pinned.target);
  return serves ? pinned : null;
}

/** The Set-Cookie value that pins a browser to `endpoint` (a session cookie, for the whole host). */
export function affinityCookie(endpoint: UpstreamEndpoint, secure: boolean): string | null {
  if (endpoint.affinityToken === undefined) return null;
  return `${affinityCookieName}=${endpoint.affinityToken}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
