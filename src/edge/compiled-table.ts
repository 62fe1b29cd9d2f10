// Turns a RouteTable into the shape the hot path reads (split selector, tag and share maps,
// counters, endpoint cursors), carrying per-app state over from the previous table so a swap
// keeps a split's position unless that app's split changed.
import { createHash } from 'node:crypto';
import type { AppRoute, Endpoint, RouteShare, RouteTable, RouteTarget } from '../core/ports/route-table.js';
import { createSplitSelector, sameWeights, splitProblems, type SplitSelector } from '../domain/traffic.js';
import type { AppCounters, EdgeStats, TrafficCounters } from './edge-stats.js';


/** Round-robin position over a target's endpoints; shared by successive tables for the same revision. */
export interface EndpointCursor {
  next: number;
}

/** An endpoint with its origin URL precomputed (the dispatcher keys its pools by it). */
export interface UpstreamEndpoint extends Endpoint {
  readonly origin: string;
  /** For apps with session affinity: the cookie value naming this endpoint. */
  readonly affinityToken?: string;
}

export interface CompiledTarget {
  readonly revisionName: string;
  readonly endpoints: readonly UpstreamEndpoint[];
  readonly cursor: EndpointCursor;
  readonly counters: TrafficCounters;
}

export interface CompiledApp {
  readonly route: AppRoute;
  readonly isPrivate: boolean;
  /** Targets with a positive percent, in table order; `selector` indexes into it. */
  readonly weighted: readonly CompiledTarget[];
  readonly selector: SplitSelector;
  /** Splits as `revisionName=percent`, aligned with `selector.weights`. */
  readonly splitNames: readonly string[];
  readonly byTag: ReadonlyMap<string, CompiledTarget>;
  readonly byRevision: ReadonlyMap<string, CompiledTarget>;
  /** By sha256 hex of the token. */
  readonly shares: ReadonlyMap<string, RouteShare>;
  readonly counters: AppCounters;
  /** With session affinity: every endpoint by its cookie token; null without. */
  readonly pins: ReadonlyMap<string, { target: CompiledTarget; endpoint: UpstreamEndpoint }> | null;
}

export interface CompiledTable {
  readonly version: number;
  readonly apps: ReadonlyMap<string, CompiledApp>;
  readonly domains: ReadonlyMap<string, string>;
  /** Every endpoint origin the table routes to. */
  readonly origins: ReadonlySet<string>;
}

export const emptyTable: CompiledTable = { version: -1, apps: new Map(), domains: new Map(), origins: new Set() };

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** The session-affinity cookie value naming one endpoint of one revision. */
function affinityToken(revisionName: string, origin: string): string {
  return createHash('sha256').update(`${revisionName}\0${origin}`).digest('base64url').slice(0, 22);
}

function upstreamEndpoint(endpoint: Endpoint, pinnedTo: string | null): UpstreamEndpoint {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  const origin = `http://${host}:${endpoint.port}`;
  return { host: endpoint.host, port: endpoint.port, origin, ...(pinnedTo !== null ? { affinityToken: affinityToken(pinnedTo, origin) } : {}) };
}

function compileTarget(target: RouteTarget, previous: CompiledApp | undefined, counters: AppCounters, affinity: boolean): CompiledTarget {
  const cursor = previous?.byRevision.get(target.revisionName)?.cursor ?? { next: 0 };
  return {
    revisionName: target.revisionName,
    endpoints: target.endpoints.map((endpoint) => upstreamEndpoint(endpoint, affinity ? target.revisionName : null)),
    cursor,
    counters: counters.revision(target.revisionName),
  };
}

function compileApp(route: AppRoute, previous: CompiledApp | undefined, stats: EdgeStats): CompiledApp {
  const counters = stats.app(route.appId, route.slug);
  const byTag = new Map<string, CompiledTarget>();
  const byRevision = new Map<string, CompiledTarget>();
  const weighted: CompiledTarget[] = [];
  const weights: number[] = [];
  const affinity = route.sessionAffinity === true;
  const pins = affinity ? new Map<string, { target: CompiledTarget; endpoint: UpstreamEndpoint }>() : null;
  for (const target of route.targets) {
    const compiled = compileTarget(target, previous, counters, affinity);
    byRevision.set(target.revisionName, compiled);
    if (pins !== null) for (const endpoint of compiled.endpoints) if (endpoint.affinityToken !== undefined) pins.set(endpoint.affinityToken, { target: compiled, endpoint });
    if (target.tag !== null) byTag.set(target.tag.toLowerCase(), compiled);
    if (target.percent > 0) {
      weighted.push(compiled);
      weights.push(target.percent);
    }
  }
  const splitNames = weighted.map((t) => t.revisionName);
  const keep =
    previous !== undefined &&
    sameWeights(previous.selector.weights, weights) &&
    sameNames(previous.splitNames, splitNames);
  const shares = new Map<string, RouteShare>();
  for (const share of route.shares) shares.set(share.tokenHash.toLowerCase(), share);
  return {
    route,
    isPrivate: route.visibility === 'private',
    weighted,
    selector: keep ? previous.selector : createSplitSelector(weights),
    splitNames,
    byTag,
    byRevision,
    shares,
    counters,
    pins,
  };
}

export interface CompileResult {
  table: CompiledTable;
  /** Problems worth a warning (the table is still served as given). */
  problems: string[];
}

/** Builds the next table; `previous` lends split selectors and endpoint cursors of unchanged apps. */
export function compileTable(table: RouteTable, previous: CompiledTable, stats: EdgeStats): CompileResult {
  const previousByAppId = new Map<string, CompiledApp>();
  for (const app of previous.apps.values()) previousByAppId.set(app.route.appId, app);
  const apps = new Map<string, CompiledApp>();
  const problems: string[] = [];
  for (const [slug, route] of table.apps) {
    const app = compileApp(route, previousByAppId.get(route.appId), stats);
    apps.set(slug.toLowerCase(), app);
    if (route.targets.length === 0) continue;
    const splits = route.targets.map((t) => ({ revision: t.revisionName, percent: t.percent, tag: t.tag }));
    for (const problem of splitProblems(splits)) problems.push(`app ${slug}: ${problem}`);
  }
  const domains = new Map<string, string>();
  for (const [host, slug] of table.domains) domains.set(host.toLowerCase(), slug.toLowerCase());
  const origins = new Set<string>();
  for (const app of apps.values())
    for (const target of app.byRevision.values()) for (const endpoint of target.endpoints) origins.add(endpoint.origin);
  return { table: { version: table.version, apps, domains, origins }, problems };
}

/** Next endpoint of a target, round-robin; null when it has no ready endpoint. */
export function nextEndpoint(target: CompiledTarget): UpstreamEndpoint | null {
  const endpoints = target.endpoints;
  const count = endpoints.length;
  if (count === 0) return null;
  if (count === 1) return endpoints[0] ?? null;
  const i = target.cursor.next % count;
  target.cursor.next = i + 1;
  return endpoints[i] ?? null;
}
