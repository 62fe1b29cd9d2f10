// Streams a deployment's build log to stderr until its end event, then waits for the deployment
// to reach its final status (the log may end while the rollout is still going).
import { unwrap } from '../api-client.js';
import type { Connection } from '../api-client.js';
import { readEventStream } from '../event-stream.js';

const terminal = new Set(['succeeded', 'failed', 'cancelled']);

export async function followDeployment(connection: Connection, deployId: string, options: { quiet: boolean }) {
  const { api, workspaceId: wsId } = connection;
  await readEventStream({
    url: `${connection.url}/api/v1/workspaces/${wsId}/deploy/${deployId}/logs/stream`,
    key: connection.key,
    onEvent(event) {
      if (event.event === 'end') return 'stop';
      if (!options.quiet && event.data) process.stderr.write(`${(JSON.parse(event.data) as { line: string }).line}\n`);
      return undefined;
    },
  });
  for (;;) {
    const deployment = await unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/{deployId}', { params: { path: { wsId, deployId } } }));
    if (terminal.has(deployment.status)) return deployment;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
