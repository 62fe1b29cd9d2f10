// The Prometheus scrape (`GET /metrics`). Without credentials it shows Berth's own process
// figures only; `Authorization: Bearer <BERTH_METRICS_TOKEN>` (compared in constant time) adds
// every app's series, and a workspace API key with monitoring:read adds that workspace's.
import crypto from 'node:crypto';
import { DomainError, unauthorized } from '../../domain/errors.js';
import type { Deps } from '../deps.js';
import { authenticate } from '../keys/authenticate.js';
import { keyPrefix } from '../keys/key-material.js';
import type { Exposition, ExpositionScope } from '../ports/telemetry.js';

function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

async function scopeOf(deps: Pick<Deps, 'settings' | 'store' | 'clock'>, bearer: string | null): Promise<ExpositionScope> {
  if (bearer === null) return { kind: 'process' };
  const token = deps.settings.monitoring.metricsToken;
  if (token !== null && sameSecret(bearer, token)) return { kind: 'all' };
  if (!bearer.startsWith(keyPrefix)) return unauthorized('Invalid metrics token');
  const principal = await authenticate(deps, { plainKey: bearer });
  if (!principal.scopes.includes('monitoring:read')) throw new DomainError('forbidden', 'Missing required scope: monitoring:read');
  return { kind: 'workspace', workspaceId: principal.workspaceId };
}

export async function scrapeMetrics(deps: Pick<Deps, 'telemetry' | 'settings' | 'store' | 'clock'>, input: { bearer: string | null }): Promise<Exposition> {
  return deps.telemetry.exposition(await scopeOf(deps, input.bearer));
}
