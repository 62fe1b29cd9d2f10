// An app's deployments, newest first, paged (page 1 of defaultPageSize unless asked), optionally by status.
import type { Deployment, DeploymentStatus } from '../../domain/deployment.js';
import type { AppRef } from '../apps/find-app.js';
import { findApp } from '../apps/find-app.js';
import { defaultPageSize } from '../apps/manage-apps.js';
import type { Deps } from '../deps.js';

export async function listDeployments(
  deps: Pick<Deps, 'store'>,
  input: AppRef & { page?: number; limit?: number; status?: DeploymentStatus },
): Promise<{ items: Deployment[]; total: number; page: number; limit: number; totalPages: number }> {
  const app = await findApp(deps, input, 'deploy:read');
  const page = input.page ?? 1;
  const limit = input.limit ?? defaultPageSize;
  const result = await deps.store.builds.deploymentPage({ appId: app.id, page, limit, status: input.status });
  return { ...result, page, limit, totalPages: Math.ceil(result.total / limit) };
}
