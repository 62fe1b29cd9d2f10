// autoDeploy: a GitHub-style push webhook per app. The secret is generated here and shown once;
// a push is accepted only with a valid X-Hub-Signature-256 over the exact body, and deploys only
// when autoDeploy is on and the pushed branch is the app's branch.
import crypto from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { Deployment } from '../../domain/deployment.js';
import { webhookPushPath } from '../../domain/names.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';
import { queueBuild } from './trigger-deploy.js';
import { publicBase } from './uploads.js';

export async function createWebhookSecret(
  deps: Deps,
  input: AppRef & { /** `scheme://host` the client called. */ requestOrigin: string },
): Promise<{ appId: string; secret: string; url: string }> {
  const app = await findApp(deps, input, 'apps:write');
  const secret = `whsec_${crypto.randomBytes(24).toString('hex')}`;
  await deps.store.webhooks.setSecret(app.id, secret, deps.clock.now());
  await recordAudit(deps, { actor: input.actor, workspaceId: app.workspaceId, appId: app.id, action: 'webhook.secret.rotate', targetType: 'app', targetId: app.id });
  return { appId: app.id, secret, url: `${publicBase(deps, input.requestOrigin)}${webhookPushPath(app.id)}` };
}

export interface PushInput {
  appId: string;
  event: string | null;
  signature: string | null;
  rawBody: string;
}

export type PushResult = { deployed: true; deployment: Deployment } | { deployed: false; reason: string };

function verify(secret: string, rawBody: string, signature: string | null): boolean {
  const expected = `sha256=${crypto.createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
  if (!signature || signature.length !== expected.length) return false;
  return crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

function pushFields(rawBody: string): { branch: string | null; after: string | null; message: string | null } {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    throw new DomainError('invalid', 'The webhook body is not JSON');
  }
  if (typeof payload !== 'object' || payload === null) throw new DomainError('invalid', 'The webhook body is not a JSON object');
  const p = payload as { ref?: unknown; after?: unknown; head_commit?: { message?: unknown } | null };
  const ref = typeof p.ref === 'string' ? p.ref : '';
  return {
    branch: ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null,
    after: typeof p.after === 'string' && /^[0-9a-f]{40}$/.test(p.after) && !/^0+$/.test(p.after) ? p.after : null,
    message: typeof p.head_commit?.message === 'string' ? p.head_commit.message : null,
  };
}

export async function receivePush(deps: Deps, input: PushInput): Promise<PushResult> {
  const app = await deps.store.apps.byId(input.appId);
  const secret = app ? await deps.store.webhooks.secret(app.id) : null;
  // Unknown app, no secret, bad signature: one answer, so the endpoint reveals nothing.
  if (!app || !secret || !verify(secret, input.rawBody, input.signature)) throw new DomainError('unauthorized', 'Invalid webhook signature');
  if (input.event === 'ping') return { deployed: false, reason: 'pong' };
  if (input.event !== null && input.event !== 'push') return { deployed: false, reason: `ignored ${input.event} event` };
  const push = pushFields(input.rawBody);
  if (!app.autoDeploy) return { deployed: false, reason: 'autoDeploy is off for this app' };
  if (push.branch !== app.gitBranch) return { deployed: false, reason: `the push is to ${push.branch ?? 'no branch'}, not ${app.gitBranch}` };
  if (!push.after) return { deployed: false, reason: 'the push deleted the branch' };
  if (!app.gitRepoUrl) return { deployed: false, reason: 'the app has no git repository' };
  await deps.builder.checkGitUrl(app.gitRepoUrl);
  const deployment = await queueBuild(deps, {
    app,
    source: { type: 'GIT', url: app.gitRepoUrl, branch: app.gitBranch, commitSha: push.after },
    triggerType: 'WEBHOOK',
    actor: null,
  });
  return { deployed: true, deployment };
}
