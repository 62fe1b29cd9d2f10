// Deploy an app again from what it is set up with (spec 002's /deploy): an image is pulled again
// (until a container engine driver exists, that deployment fails with its message), a git app is
// built from its branch's latest commit, an upload app from its last upload.
import type { Deployment } from '../../domain/deployment.js';
import { findApp } from '../apps/find-app.js';
import type { AppRef } from '../apps/find-app.js';
import type { Deps } from '../deps.js';
import { deployApp } from './trigger-deploy.js';

export async function redeployApp(deps: Deps, input: AppRef): Promise<Deployment> {
  const app = await findApp(deps, input, 'deploy:write');
  return deployApp(deps, { app, actor: input.actor });
}
