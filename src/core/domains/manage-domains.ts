// Custom domains: validated, each answered with the DNS records the user must create. Apps of
// several workspaces may claim one hostname (no answer tells a workspace about another's claim);
// DNS decides: the claim verified last routes it. While a hostname has several claims, only the
// TXT record (a token per claim) proves control: the CNAME is the same for every claimant.
// TLS issuance comes with the edge's ACME work.
import crypto from 'node:crypto';
import type { CustomDomain } from '../../domain/custom-domain.js';
import { DomainError, notFound } from '../../domain/errors.js';
import { hostnameProblem, normaliseHostname } from '../../domain/hostname.js';
import { domainVerificationRecord, edgeIngressHost } from '../../domain/names.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Deps } from '../deps.js';

export interface DnsRecord {
  type: 'CNAME' | 'TXT';
  name: string;
  value: string;
}

export function requiredDnsRecords(domain: CustomDomain, baseDomain: string): DnsRecord[] {
  return [
    { type: 'CNAME', name: domain.domain, value: edgeIngressHost(baseDomain) },
    { type: 'TXT', name: domainVerificationRecord(domain.domain), value: domain.verificationToken },
  ];
}

export async function addDomain(deps: Deps, input: AppRef & { domain: string; targetPort: number | null }): Promise<CustomDomain> {
  const app = await findApp(deps, input, 'apps:write');
  const hostname = normaliseHostname(input.domain);
  const problem = hostnameProblem(hostname);
  const base = deps.settings.baseDomain;
  if (problem) throw new DomainError('invalid', problem, [problem]);
  if (hostname === base || hostname.endsWith(`.${base}`)) {
    throw new DomainError('invalid', `domain must not be under ${base}, which Berth uses for app URLs`);
  }
  if (input.targetPort !== null && (!Number.isInteger(input.targetPort) || input.targetPort < 1 || input.targetPort > 65535)) {
    throw new DomainError('invalid', 'targetPort must be an integer between 1 and 65535');
  }
  const domain: CustomDomain = {
    id: deps.ids('domain'),
    appId: app.id,
    domain: hostname,
    targetPort: input.targetPort,
    verified: false,
    tlsStatus: 'pending',
    verificationToken: `berth-verify-${crypto.randomBytes(16).toString('hex')}`,
    createdAt: deps.clock.now(),
    verifiedAt: null,
    tlsError: null,
    tlsExpiresAt: null,
  };
  await deps.store.domains.create(domain, app.workspaceId);
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    appId: app.id,
    action: 'domain.add',
    targetType: 'domain',
    targetId: domain.id,
    detail: { domain: hostname },
  });
  return domain;
}

export async function listDomains(deps: Pick<Deps, 'store'>, input: AppRef): Promise<CustomDomain[]> {
  const app = await findApp(deps, input, 'apps:read');
  return deps.store.domains.list(app.id);
}

export async function removeDomain(deps: Deps, input: AppRef & { domainId: string }): Promise<void> {
  const app = await findApp(deps, input, 'apps:write');
  const domain = (await deps.store.domains.byId(app.id, input.domainId)) ?? notFound('Domain');
  await deps.store.domains.delete(domain.id);
  await deps.orchestrator.reconcileNow();
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    appId: app.id,
    action: 'domain.remove',
    targetType: 'domain',
    targetId: domain.id,
    detail: { domain: domain.domain },
  });
}

/** Checks DNS now: verified when the CNAME points at the edge or the TXT record holds the token. */
export async function verifyDomain(
  deps: Deps,
  input: AppRef & { domainId: string },
): Promise<{ domain: CustomDomain; checked: { cname: string[]; txt: string[] } }> {
  const app = await findApp(deps, input, 'apps:write');
  const domain = (await deps.store.domains.byId(app.id, input.domainId)) ?? notFound('Domain');
  const [cname, txt] = await Promise.all([
    deps.dns.cname(domain.domain),
    deps.dns.txt(domainVerificationRecord(domain.domain)),
  ]);
  const byToken = txt.includes(domain.verificationToken);
  const byCname = cname.includes(edgeIngressHost(deps.settings.baseDomain)) && (await deps.store.domains.countClaims(domain.domain)) === 1;
  if (!(byToken || byCname) || domain.verified) return { domain, checked: { cname, txt } };
  const verified: CustomDomain = { ...domain, verified: true, verifiedAt: deps.clock.now() };
  await deps.store.domains.markVerified(domain.id, verified.verifiedAt ?? deps.clock.now());
  await deps.orchestrator.reconcileNow();
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: app.workspaceId,
    appId: app.id,
    action: 'domain.verify',
    targetType: 'domain',
    targetId: domain.id,
  });
  return { domain: verified, checked: { cname, txt } };
}
