// The app's pipeline as the store knows it. Stages without data say `no_data` instead of
// inventing values; the runtime stage reports live figures once the runtime records them.
import type { App } from '../../domain/app.js';
import type { Deployment } from '../../domain/deployment.js';
import type { Deps } from '../deps.js';
import type { AppRuntimeSummary } from '../ports/orchestrator.js';
import { findApp } from './find-app.js';
import type { AppRef } from './find-app.js';

export interface PipelineState {
  app: App;
  latest: Deployment | null;
  lastSucceeded: Deployment | null;
  harborProject: string | null;
  runtime: AppRuntimeSummary;
}

export async function pipelineState(deps: Pick<Deps, 'store' | 'settings' | 'orchestrator'>, input: AppRef): Promise<PipelineState> {
  const app = await findApp(deps, input, 'apps:read');
  const [latest, lastSucceeded, runtime] = await Promise.all([
    deps.store.deployments.latest(app.id),
    deps.store.deployments.latestSucceeded(app.id),
    deps.orchestrator.appSummary(app.id),
  ]);
  return { app, latest, lastSucceeded, harborProject: deps.settings.harborProject, runtime };
}
