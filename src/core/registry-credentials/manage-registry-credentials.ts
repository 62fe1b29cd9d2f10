// A workspace's registry credentials: created (the password sealed at rest), listed and deleted
// by their own endpoints, and looked up by name when an IMAGE deploy names one. The password is
// never in a response, a log line or the audit trail.
import { DomainError, notFound } from '../../domain/errors.js';
import { registryCredentialProblems } from '../../domain/registry-credential.js';
import type { RegistryCredential } from '../../domain/registry-credential.js';
import type { Principal } from '../../domain/workspace.js';
import { recordAudit } from '../audit/record-audit.js';
import { authorize } from '../authorize.js';
import type { Deps } from '../deps.js';
import type { RegistryLogin } from '../ports/images.js';

export interface CreateRegistryCredentialInput {
  actor: Principal;
  workspaceId: string;
  name: string;
  registry: string;
  username: string;
  password: string;
}

export async function createRegistryCredential(deps: Deps, input: CreateRegistryCredentialInput): Promise<RegistryCredential> {
  authorize(input.actor, input.workspaceId, 'env-vars:write');
  const fields = { name: input.name.trim(), registry: input.registry.trim().toLowerCase(), username: input.username.trim(), password: input.password };
  const problems = registryCredentialProblems(fields);
  if (problems.length > 0) throw new DomainError('invalid', problems[0] ?? 'invalid', problems);
  const credential: RegistryCredential = {
    id: deps.ids('registryCredential'),
    workspaceId: input.workspaceId,
    name: fields.name,
    registry: fields.registry,
    username: fields.username,
    createdAt: deps.clock.now(),
  };
  if (!(await deps.store.registryCredentials.create(credential, fields.password))) {
    throw new DomainError('conflict', `A registry credential named ${fields.name} already exists in this workspace`);
  }
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    action: 'registry_credential.create',
    targetType: 'registry_credential',
    targetId: credential.id,
    detail: { name: credential.name, registry: credential.registry },
  });
  return credential;
}

export async function listRegistryCredentials(deps: Pick<Deps, 'store'>, input: { actor: Principal; workspaceId: string }): Promise<RegistryCredential[]> {
  authorize(input.actor, input.workspaceId, 'env-vars:read');
  return deps.store.registryCredentials.list(input.workspaceId);
}

export async function deleteRegistryCredential(deps: Deps, input: { actor: Principal; workspaceId: string; credentialId: string }): Promise<void> {
  authorize(input.actor, input.workspaceId, 'env-vars:write');
  if (!(await deps.store.registryCredentials.delete(input.workspaceId, input.credentialId))) notFound('Registry credential');
  await recordAudit(deps, {
    actor: input.actor,
    workspaceId: input.workspaceId,
    action: 'registry_credential.delete',
    targetType: 'registry_credential',
    targetId: input.credentialId,
  });
}

/** The credential a deploy names, or a 400 saying that nothing has that name. */
export async function namedCredential(deps: Pick<Deps, 'store'>, workspaceId: string, name: string): Promise<RegistryCredential> {
  const found = await deps.store.registryCredentials.byName(workspaceId, name);
  if (!found) throw new DomainError('invalid', `registryAuthRef ${JSON.stringify(name)} names no registry credential of this workspace: create one with POST /api/v1/workspaces/{wsId}/registry-credentials`);
  return found;
}

/** What a pull needs: the credential with its password opened. */
export async function registryLogin(deps: Pick<Deps, 'store'>, credential: RegistryCredential): Promise<RegistryLogin> {
  const password = await deps.store.registryCredentials.password(credential.id);
  if (password === null) throw new DomainError('conflict', `The registry credential ${credential.name} was deleted`);
  return { registry: credential.registry, username: credential.username, password };
}
