// Provisioning goes on after the create answer: waits until the database is RUNNING, or says
// why it failed, in the API's words.
import { unwrap } from '../api-client.js';
import type { Connection } from '../api-client.js';
import { CliError, exitCodes } from '../exit-codes.js';

export async function waitForDatabase(connection: Connection, databaseId: string) {
  const { api, workspaceId: wsId } = connection;
  for (;;) {
    const database = await unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}', { params: { path: { wsId, dbId: databaseId } } }));
    if (database.status === 'FAILED') throw new CliError(`database ${database.slug} failed: ${database.statusMessage ?? 'Berth gave no reason'}`, exitCodes.failed);
    if (database.status !== 'PROVISIONING') return database;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
