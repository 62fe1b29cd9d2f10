// One domain per app (spec 003) over the core's many: the app's domain is its oldest one.
// Setting a new hostname claims it first and only then lets the others go, so a refused claim
// leaves the app as it was; each setting tries to verify it at once (DNS), else it stays pending.
import type { CustomDomain } from '../../domain/custom-domain.js';
import { notFound } from '../../domain/errors.js';
import { normaliseHostname } from '../../domain/hostname.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';
import { addDomain, listDomains, removeDomain, verifyDomain } from './manage-domains.js';

export type AppDomainStatus = 'pending' | 'active' | 'failed';

/** Pending until verified; then the certificate's state when the edge serves HTTPS, else active. */
export function appDomainStatus(domain: CustomDomain, edgeScheme: 'http' | 'https'): AppDomainStatus {
  if (!domain.verified) return 'pending';
  return edgeScheme === 'https' ? domain.tlsStatus : 'active';
}

export async function getAppDomain(deps: Pick<Deps, 'store'>, input: AppRef): Promise<CustomDomain> {
  const [domain] = await listDomains(deps, input);
  return domain ?? notFound('Domain');
}

export async function setAppDomain(deps: Deps, input: AppRef & { hostname: string }): Promise<CustomDomain> {
  const current = await listDomains(deps, input);
  const hostname = normaliseHostname(input.hostname);
  const same = current.find((d) => d.domain === hostname);
  const claimed = same ?? (await addDomain(deps, { ...input, domain: hostname, targetPort: null }));
  for (const other of current) if (other.id !== claimed.id) await removeDomain(deps, { ...input, domainId: other.id });
  return claimed.verified ? claimed : (await verifyDomain(deps, { ...input, domainId: claimed.id })).domain;
}

export async function removeAppDomain(deps: Deps, input: AppRef): Promise<void> {
  const current = await listDomains(deps, input);
  if (current.length === 0) notFound('Domain');
  for (const domain of current) await removeDomain(deps, { ...input, domainId: domain.id });
}
