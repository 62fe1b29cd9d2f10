// The apps a database is attached to, by slug as people name them (the API's attachment carries
// the app's id only), with the env var each gets and where a SQLITE volume is mounted.
import { unwrap } from '../api-client.js';
import type { Connection } from '../api-client.js';

export async function attachedApps(connection: Connection, dbId: string) {
  const { api, workspaceId: wsId } = connection;
  const attachments = await unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}/attachments', { params: { path: { wsId, dbId } } }));
  return Promise.all(
    attachments.map(async (attachment) => {
      // A key without apps:read still sees the attachment, named by the app's id.
      const app = await api.GET('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId: attachment.appId } } }).catch(() => null);
      return { attachment, appSlug: app?.data?.slug ?? attachment.appId };
    }),
  );
}
