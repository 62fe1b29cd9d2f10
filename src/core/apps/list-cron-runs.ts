// Run history of a cron app, newest first, with exit codes.
import type { CronRun } from '../../domain/cron-run.js';
import type { Deps } from '../deps.js';
import { findApp } from './find-app.js';
import type { AppRef } from './find-app.js';

export async function listCronRuns(deps: Pick<Deps, 'store'>, input: AppRef & { /** Default 50. */ limit?: number }): Promise<CronRun[]> {
  const app = await findApp(deps, input, 'deploy:read');
  return deps.store.cronRuns.list(app.id, Math.min(Math.max(1, input.limit ?? 50), 500));
}
