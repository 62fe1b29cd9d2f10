// What the e2e tests do to a test Berth again and again: create an app through the API, and
// deploy an artifact directory through the core (no deploy-from-directory endpoint exists).
import type { DeployResult } from '../../../src/core/revisions/deploy-artifact.js';
import type { TestBerth } from '../../support/test-berth.js';
import { nodeCommand } from './instance-app.js';

export async function createApp(t: TestBerth, body: Record<string, unknown>): Promise<string> {
  const res = await t.request<{ id: string }>('POST', `/api/v1/workspaces/${t.workspaceId}/apps`, { body });
  if (res.status !== 201) throw new Error(`creating app ${JSON.stringify(body)} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export function deployDir(t: TestBerth, appId: string, artifactDir: string, imageRef: string): Promise<DeployResult> {
  return t.berth.core.deployArtifact({ appId, artifactDir, command: nodeCommand, imageRef, triggerType: 'MANUAL' });
}

/** `/api/v1/workspaces/{ws}` + rest. */
export const wsPath = (t: TestBerth, rest: string): string => `/api/v1/workspaces/${t.workspaceId}${rest}`;
