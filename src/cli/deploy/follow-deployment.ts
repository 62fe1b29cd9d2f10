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

/** "deployment dep_… failed: why", without repeating the status when the reason starts with it ("Cancelled: …"). */
export function describeEnd(deployment: { id: string; status: string; error?: string | null }): string {
  const reason = deployment.error ?? '';
  const repeats = reason.toLowerCase().startsWith(`${deployment.status}:`);
  const why = repeats ? reason.slice(deployment.status.length + 1).trim() : reason;
  return `deployment ${deployment.id} ${deployment.status}${why ? `: ${why}` : ''}`;
}
