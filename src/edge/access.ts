// Who may reach a private app: a caller with an API key of the app's workspace, or one holding
// a valid share token (from `?share=` once, then from the cookie). A `requireAuth` share also
// needs the key. Synchronous unless a key must be looked up, so cached callers add no async hop.
import type { RouteShare } from '../core/ports/route-table.js';
import { apiKeyOf } from './api-key.js';
import type { CompiledApp } from './compiled-table.js';
import type { RequestFacts } from './front/client-exchange.js';
import type { KeyCache } from './key-cache.js';
import {
  hashShareToken,
  shareSetCookie,
  shareTokenFromCookie,
  takeShareParam,
  type ShareParam,
} from './share-token.js';

export type AccessDecision =
  /** `url` is what to forward: the request target without a share parameter. */
  | { kind: 'allow'; url: string }
  | { kind: 'deny' }
  /** A share token arrived in the URL: send the browser back without it, holding the cookie. */
  | { kind: 'redirect'; location: string; setCookie: string }
  /** The key resolver failed; the caller answers 503 rather than guessing. */
  | { kind: 'unavailable' };

export interface AccessContext {
  keys: KeyCache;
  now: () => number;
  /** Whether the client reached the edge over TLS (the cookie is then marked Secure). */
  secure: boolean;
  /** False for upgrade requests, which cannot follow a redirect. */
  canRedirect: boolean;
}

const deny: AccessDecision = { kind: 'deny' };
const unavailable: AccessDecision = { kind: 'unavailable' };

function validShare(app: CompiledApp, token: string, nowMs: number): RouteShare | null {
  const hash = hashShareToken(token);
  const share = hash === null ? undefined : app.shares.get(hash);
  if (share === undefined) return null;
  if (share.expiresAt !== null && share.expiresAt.getTime() <= nowMs) return null;
  return share;
}

interface Facts {
  share: RouteShare | null;
  /** Set when the share came from the URL and verified: answer with a redirect and the cookie. */
  fromParam: ShareParam | null;
  forwardUrl: string;
  nowMs: number;
}

function decide(keyOk: boolean, facts: Facts, ctx: AccessContext): AccessDecision {
  const { share, fromParam } = facts;
  const shareOk = share !== null && (!share.requireAuth || keyOk);
  if (!shareOk) return keyOk ? { kind: 'allow', url: facts.forwardUrl } : deny;
  if (fromParam !== null && ctx.canRedirect) {
    const expiresAt = share.expiresAt;
    const maxAgeSeconds = expiresAt === null ? null : (expiresAt.getTime() - facts.nowMs) / 1000;
    return {
      kind: 'redirect',
      location: fromParam.url,
      setCookie: shareSetCookie(fromParam.token, { secure: ctx.secure, maxAgeSeconds }),
    };
  }
  return { kind: 'allow', url: facts.forwardUrl };
}

/** The decision for a request to a private app. */
export function checkAccess(
  app: CompiledApp,
  req: { readonly url: string; readonly headers: RequestFacts },
  ctx: AccessContext,
): AccessDecision | Promise<AccessDecision> {
  const url = req.url;
  const nowMs = ctx.now();
  const param = takeShareParam(url);
  const paramShare = param === null ? null : validShare(app, param.token, nowMs);
  const cookieToken = paramShare === null ? shareTokenFromCookie(req.headers.cookie) : null;
  const facts: Facts = {
    share: paramShare ?? (cookieToken === null ? null : validShare(app, cookieToken, nowMs)),
    fromParam: paramShare === null ? null : param,
    // The share parameter never reaches the app, valid or not.
    forwardUrl: param === null ? url : param.url,
    nowMs,
  };

  if (facts.share !== null && !facts.share.requireAuth) return decide(false, facts, ctx);
  const key = apiKeyOf(req.headers);
  if (key === null) return decide(false, facts, ctx);
  const workspaceId = ctx.keys.workspaceOf(key);
  if (typeof workspaceId === 'string') return decide(workspaceId === app.route.workspaceId, facts, ctx);
  return workspaceId.then(
    (resolved) => decide(resolved === app.route.workspaceId, facts, ctx),
    () => unavailable,
  );
}
