// The Prometheus scrape (`GET /metrics`): open unless BERTH_METRICS_TOKEN is set, then it needs
// `Authorization: Bearer <token>` (compared in constant time).
import crypto from 'node:crypto';
import { unauthorized } from '../../domain/errors.js';
import type { Deps } from '../deps.js';
import type { Exposition } from '../ports/telemetry.js';

export async function scrapeMetrics(deps: Pick<Deps, 'telemetry' | 'settings'>, input: { bearer: string | null }): Promise<Exposition> {
  const expected = deps.settings.monitoring.metricsToken;
  if (expected !== null) {
    const given = crypto.createHash('sha256').update(input.bearer ?? '').digest();
    const wanted = crypto.createHash('sha256').update(expected).digest();
    if (!crypto.timingSafeEqual(given, wanted)) unauthorized('Invalid or missing metrics token');
  }
  return deps.telemetry.exposition();
}
