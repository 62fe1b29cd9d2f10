// Every name Berth derives from another lives here, because changing one silently orphans
// running things (revisions, URLs, cgroups). A snapshot test guards them.

export function revisionName(slug: string, sequence: number): string {
  return `${slug}-${String(sequence).padStart(5, '0')}`;
}

export function appUrl(slug: string, baseDomain: string, edgePort: number): string {
  const port = edgePort === 80 ? '' : `:${edgePort}`;
  return `http://${slug}.${baseDomain}${port}`;
}

export function taggedHost(tag: string, slug: string, baseDomain: string): string {
  return `${tag}---${slug}.${baseDomain}`;
}

export function shareUrl(slug: string, baseDomain: string, edgePort: number, token: string): string {
  return `${appUrl(slug, baseDomain, edgePort)}/?share=${encodeURIComponent(token)}`;
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
