// Every name Berth derives from another lives here, because changing one silently orphans
// running things (revisions, URLs, cgroups). A snapshot test guards them.

export function revisionName(slug: string, sequence: number): string {
  return `${slug}-${String(sequence).padStart(5, '0')}`;
}

/** How app URLs start: `https` once the edge serves TLS on 443 or a public edge URL says so. */
export type EdgeScheme = 'http' | 'https';

export function appUrl(slug: string, baseDomain: string, edgePort: number, scheme: EdgeScheme = 'http'): string {
  const port = edgePort === (scheme === 'https' ? 443 : 80) ? '' : `:${edgePort}`;
  return `${scheme}://${slug}.${baseDomain}${port}`;
}

export function taggedHost(tag: string, slug: string, baseDomain: string): string {
  return `${tag}---${slug}.${baseDomain}`;
}

export function shareUrl(slug: string, baseDomain: string, edgePort: number, token: string, scheme: EdgeScheme = 'http'): string {
  return `${appUrl(slug, baseDomain, edgePort, scheme)}/?share=${encodeURIComponent(token)}`;
}

/** Where custom domains must point (CNAME), i.e. the edge's own name. */
export function edgeIngressHost(baseDomain: string): string {
  return `ingress.${baseDomain}`;
}

export function domainVerificationRecord(hostname: string): string {
  return `_berth-challenge.${hostname}`;
}

/** One instance of a revision: unique across restarts of Berth. */
export function instanceId(revisionName: string, nonce: string): string {
  return `${revisionName}-${nonce}`;
}
