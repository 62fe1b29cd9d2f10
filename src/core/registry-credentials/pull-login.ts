// The credential an instance's image is pulled with when it starts (scale up, restart, a new
// engine, a pruned image): the one its revision's deploy named, looked up by name now, so a
// rotated password is used, and a deleted one fails the start saying so instead of a bare 401.
import { DomainError } from '../../domain/errors.js';
import type { Deps } from '../deps.js';
import type { RegistryLogin } from '../ports/images.js';

export async function pullLogin(deps: Pick<Deps, 'store'>, input: { appId: string; registryAuthRef: string }): Promise<RegistryLogin> {
  const app = await deps.store.apps.byId(input.appId);
  if (!app) throw new DomainError('not_found', `the app ${input.appId} is gone, so its registry credential ${JSON.stringify(input.registryAuthRef)} is not looked up`);
  const credential = await deps.store.registryCredentials.byName(app.workspaceId, input.registryAuthRef);
  const password = credential ? await deps.store.registryCredentials.password(credential.id) : null;
  if (!credential || password === null) {
    throw new DomainError(
      'conflict',
      `the registry credential ${JSON.stringify(input.registryAuthRef)} this revision's image is pulled with no longer exists in the workspace: ` +
        `create it again under that name (POST /api/v1/workspaces/{wsId}/registry-credentials), or deploy naming another registryAuthRef`,
    );
  }
  return { registry: credential.registry, username: credential.username, password };
}
