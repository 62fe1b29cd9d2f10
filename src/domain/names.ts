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

/** Where the signed PUT of an upload goes (it authenticates by its token, not by a key). */
export function uploadPutPath(uploadId: string): string {
  return `/api/v1/uploads/${uploadId}`;
}

/** The object key an upload is known by (the presigned-URL contract names one). */
export function uploadObjectKey(appId: string, uploadId: string): string {
  return `uploads/${appId}/${uploadId}.tar.gz`;
}

/** Where GitHub-style push webhooks of an app are sent. */
export function webhookPushPath(appId: string): string {
  return `/api/v1/webhooks/apps/${appId}/push`;
}

/** One instance of a revision: unique across restarts of Berth. */
export function instanceId(revisionName: string, nonce: string): string {
  return `${revisionName}-${nonce}`;
}

/**
 * The edge host label of a preview session: `preview---<ulid>`. No app slug contains `---`, so it
 * never shadows an app, and `preview` is a reserved slug, so it is never read as a tagged URL.
 */
export function previewHostLabel(sessionId: string): string {
  return `preview---${sessionId.slice(sessionId.indexOf('_') + 1)}`;
}

export function previewUrl(sessionId: string, baseDomain: string, edgePort: number, scheme: EdgeScheme = 'http'): string {
  return appUrl(previewHostLabel(sessionId), baseDomain, edgePort, scheme);
}
