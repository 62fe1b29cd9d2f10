// Derives the edge's route table from the store (apps, traffic, domains, visibility, shares)
// and the engine's ready endpoints. Apps that are stopped, have no traffic or take no HTTP (workers,
// cron apps) still appear, so the edge can answer 503 ("stopped", "not running yet", "takes no
// HTTP requests") rather than 404 ("no such app"). Preview sessions
// whose dev server answers get a host of their own, private like a private app of their app's workspace
// (its keys, or its share tokens).
import type { Deps } from '../deps.js';
import { previewHostLabel } from '../../domain/names.js';
import type { AppRoute, Endpoint, RouteShare, RouteTable } from '../ports/route-table.js';

export interface BuildRouteTableInput {
  version: number;
  /** Ready, routable endpoints of a revision. */
  endpoints: (revisionId: string) => readonly Endpoint[];
  /** Where a ready preview session's dev server answers; null: nowhere (yet). */
  previewEndpoint?: (sessionId: string) => Endpoint | null;
}

export async function buildRouteTable(deps: Pick<Deps, 'store' | 'clock'>, input: BuildRouteTableInput): Promise<RouteTable> {
  const now = deps.clock.now();
  const [apps, traffic, shares, domains, previews] = await Promise.all([
    deps.store.apps.listLive(),
    deps.store.traffic.all(),
    deps.store.shares.listAllActive(now),
    deps.store.domains.listVerified(),
    deps.store.previewSessions.listLive(),
  ]);
  const sharesByApp = new Map<string, RouteShare[]>();
  for (const share of shares) {
    const list = sharesByApp.get(share.appId) ?? [];
    list.push({ tokenHash: share.tokenHash, expiresAt: share.expiresAt, requireAuth: share.requireAuth });
    sharesByApp.set(share.appId, list);
  }
  const routes = new Map<string, AppRoute>();
  const slugById = new Map<string, string>();
  for (const app of apps) {
    slugById.set(app.id, app.slug);
    const running = app.replicas !== 0;
    routes.set(app.slug, {
      appId: app.id,
      workspaceId: app.workspaceId,
      slug: app.slug,
      visibility: app.visibility,
      targets: (traffic.get(app.id) ?? []).map((split) => ({
        revisionName: split.revisionName,
        percent: split.percent,
        tag: split.tag,
        endpoints: running ? input.endpoints(split.revisionId) : [],
      })),
      shares: sharesByApp.get(app.id) ?? [],
      stopped: !running,
      ...(app.sessionAffinity ? { sessionAffinity: true } : {}),
      ...(app.type === 'worker' || app.type === 'cron' ? { noHttp: app.type } : {}),
    });
  }
  for (const session of previews) {
    // A deleted app's previews are gone from the edge at once (the idle sweep stops them). A starting
    // session is routed once its dev server answers, so that it is reachable by the time it says ready.
    const routable = (session.status === 'starting' || session.status === 'ready') && slugById.has(session.appId);
    const endpoint = routable ? (input.previewEndpoint?.(session.id) ?? null) : null;
    if (endpoint === null) continue;
    const label = previewHostLabel(session.id);
    routes.set(label, {
      // The session's own id, so its traffic never counts as its app's.
      appId: session.id,
      workspaceId: session.workspaceId,
      slug: label,
      visibility: 'private',
      targets: [{ revisionName: 'preview', percent: 100, tag: null, endpoints: [endpoint] }],
      shares: sharesByApp.get(session.appId) ?? [],
    });
  }
  const domainMap = new Map<string, string>();
  for (const domain of domains) {
    const slug = slugById.get(domain.appId);
    if (slug) domainMap.set(domain.domain, slug);
  }
  return { version: input.version, apps: routes, domains: domainMap };
}
