// GET /deploy?appId=: an app's deployments, newest first, paged, optionally by status.
import type { Deployment, DeploymentStatus } from '../../domain/deployment.js';
import type { AppRef } from '../apps/find-app.js';
import { findApp } from '../apps/find-app.js';
import type { Deps } from '../deps.js';

export async function listDeployments(
  deps: Pick<Deps, 'store'>,
  input: AppRef & { page: number; limit: number; status?: DeploymentStatus },
): Promise<{ items: Deployment[]; total: number; page: number; limit: number }> {
  const app = await findApp(deps, input, 'deploy:read');
  const result = await deps.store.builds.deploymentPage({ appId: app.id, page: input.page, limit: input.limit, status: input.status });
  return { ...result, page: input.page, limit: input.limit };
}
