// What runs for an app now, as the reconciler knows it: replicas wanted and ready and the
// instances of its serving revisions (status); every instance, warm standbys too (pods); and
// each instance's usage, disk included (metrics).
import type { App } from '../../domain/app.js';
import type { Deps } from '../deps.js';
import type { AppRuntimeSummary, InstanceReport } from '../ports/orchestrator.js';
import { findApp } from './find-app.js';
import type { AppRef } from './find-app.js';

export async function appRuntime(
  deps: Pick<Deps, 'store' | 'orchestrator'>,
  input: AppRef,
): Promise<{ app: App; summary: AppRuntimeSummary; replicas: InstanceReport[] }> {
  const app = await findApp(deps, input, 'apps:read');
  const [summary, instances] = await Promise.all([deps.orchestrator.appSummary(app.id), deps.orchestrator.instances(app.id)]);
  return { app, summary, replicas: instances.filter((i) => i.serving && i.phase !== 'stopping') };
}

export async function appInstances(deps: Pick<Deps, 'store' | 'orchestrator'>, input: AppRef): Promise<{ app: App; instances: InstanceReport[] }> {
  const app = await findApp(deps, input, 'apps:read');
  return { app, instances: await deps.orchestrator.instances(app.id) };
}

export async function appUsage(
  deps: Pick<Deps, 'store' | 'orchestrator' | 'clock'>,
  input: AppRef,
): Promise<{ app: App; at: Date; instances: InstanceReport[] }> {
  const app = await findApp(deps, input, 'monitoring:read');
  const instances = await deps.orchestrator.instances(app.id, { usage: true, disk: true });
  return { app, at: deps.clock.now(), instances: instances.filter((i) => i.phase !== 'stopping') };
}
