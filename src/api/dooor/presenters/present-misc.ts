// Keys, shares, domains and env vars on the wire. Secrets are masked here, at the edge of the system.
import { requiredDnsRecords } from '../../../core/domains/manage-domains.js';
import type { CustomDomain } from '../../../domain/custom-domain.js';
import type { EnvVar } from '../../../domain/env-var-record.js';
import { shareUrl } from '../../../domain/names.js';
import type { PublicShare } from '../../../domain/share.js';
import type { ApiKey } from '../../../domain/workspace.js';
import type { DomainSettings, UrlSettings } from './present-app.js';

export const secretMask = '********';

export function presentKey(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    keyPrefix: key.keyPrefix,
    scopes: [...key.scopes],
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}

export function presentShare(share: PublicShare, slug: string, urls: UrlSettings) {
  return {
    id: share.id,
    appId: share.appId,
    token: share.token,
    url: shareUrl(slug, urls.baseDomain, urls.edgePort, share.token, urls.edgeScheme),
    requireAuth: share.requireAuth,
    expiresAt: share.expiresAt?.toISOString() ?? null,
    createdAt: share.createdAt.toISOString(),
  };
}

/** Why a verified domain has no certificate coming on an edge without a TLS listener. */
export const noHttpsHere = "no certificate: this Berth's edge serves no HTTPS (BERTH_EDGE_TLS_PORT is not set), so the domain is served over HTTP only";

export function presentDomain(domain: CustomDomain, urls: DomainSettings) {
  return {
    id: domain.id,
    domain: domain.domain,
    targetPort: domain.targetPort,
    verified: domain.verified,
    tlsStatus: domain.tlsStatus,
    tlsError: domain.tlsError ?? (domain.verified && domain.tlsStatus === 'pending' && !urls.edgeTls ? noHttpsHere : null),
    tlsExpiresAt: domain.tlsExpiresAt?.toISOString() ?? null,
    dnsRecords: requiredDnsRecords(domain, urls.baseDomain),
    verifiedAt: domain.verifiedAt?.toISOString() ?? null,
    createdAt: domain.createdAt.toISOString(),
  };
}

export function presentEnvVar(envVar: EnvVar) {
  return {
    id: envVar.id,
    key: envVar.key,
    value: envVar.isSecret ? secretMask : envVar.value,
    isSecret: envVar.isSecret,
    createdAt: envVar.createdAt.toISOString(),
    updatedAt: envVar.updatedAt.toISOString(),
  };
}
