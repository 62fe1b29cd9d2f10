// Public share links: create (optionally expiring, optionally requiring a key), list, revoke.
import crypto from 'node:crypto';
import { DomainError, notFound } from '../../domain/errors.js';
import type { PublicShare } from '../../domain/share.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';

export const hashShareToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

export async function createShare(
  deps: Deps,
  input: AppRef & { expiresAt: Date | null; requireAuth: boolean },
): Promise<{ share: PublicShare; slug: string }> {
  const app = await findApp(deps, input, 'apps:write');
  const now = deps.clock.now();
  if (input.expiresAt && input.expiresAt <= now) throw new DomainError('invalid', 'expiresAt must be in the future');
  const token = crypto.randomBytes(24).toString('base64url');
  const share: PublicShare = {
    id: deps.ids('share'),
    appId: app.id,
    token,
    tokenHash: hashShareToken(token),
    requireAuth: input.requireAuth,
    expiresAt: input.expiresAt,
    createdAt: now,
    revokedAt: null,
  };
  await deps.store.shares.create(share);
  // The edge learns shares only from the route table: republish before the link is handed out.
  await deps.orchestrator.reconcileNow();
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    appId: app.id,
    action: 'share.create',
    targetType: 'public_share',
    targetId: share.id,
    detail: { appId: app.id, expiresAt: input.expiresAt?.toISOString() ?? null, requireAuth: input.requireAuth },
  });
  return { share, slug: app.slug };
}

export async function listShares(deps: Pick<Deps, 'store' | 'clock'>, input: AppRef) {
  const app = await findApp(deps, input, 'apps:read');
  return { shares: await deps.store.shares.listActive(app.id, deps.clock.now()), slug: app.slug };
}

export async function revokeShare(deps: Deps, input: AppRef & { shareId: string }): Promise<void> {
  const app = await findApp(deps, input, 'apps:write');
  const share = await deps.store.shares.byId(app.id, input.shareId);
  if (!share || share.revokedAt) return notFound('Share');
  await deps.store.shares.revoke(share.id, deps.clock.now());
  await deps.orchestrator.reconcileNow();
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    appId: app.id,
    action: 'share.revoke',
    targetType: 'public_share',
    targetId: share.id,
  });
}
