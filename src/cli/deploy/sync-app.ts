// Rolls an app onto a new revision with its current config (the env-vars sync endpoint: the
// serving build, today's env and attachments) and waits until that deployment ends.
import { unwrap } from '../api-client.js';
import type { Connection } from '../api-client.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { note } from '../output.js';
import { describeEnd, followDeployment } from './follow-deployment.js';

export async function syncApp(connection: Connection, appRef: string) {
  const { api, workspaceId: wsId } = connection;
  const queued = await unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars/sync', { params: { path: { wsId, appId: appRef } } }));
  note(`Syncing ${appRef}: deployment ${queued.id} rolls it onto a new revision…`);
  const final = await followDeployment(connection, queued.id, { quiet: true });
  if (final.status !== 'succeeded') throw new CliError(`sync: ${describeEnd(final)}`, exitCodes.failed);
  return final;
}
