// What a workspace holds, read back through the API: the app list with its meta, one app's
// detail and source, its env vars, shares and domains, and the key list. Equal snapshots before
// and after a refused request mean the refusal wrote nothing a client can see.
import type { TestBerth } from '../support/test-berth.js';

export interface StoreSnapshot {
  apps: unknown;
  app: unknown;
  source: unknown;
  envVars: unknown;
  shares: unknown;
  domains: unknown;
  keys: unknown;
}

export async function snapshotStore(t: TestBerth, appId: string): Promise<StoreSnapshot> {
  const ws = `/api/v1/workspaces/${t.workspaceId}`;
  const app = `${ws}/apps/${appId}`;
  const paths = {
    apps: `${ws}/apps?limit=100`,
    app,
    source: `${app}/source`,
    envVars: `${app}/env-vars`,
    shares: `${app}/public-shares`,
    domains: `${app}/domains`,
    keys: `${ws}/api-keys`,
  };
  const entries = await Promise.all(
    Object.entries(paths).map(async ([name, path]) => {
      const result = await t.request('GET', path);
      if (result.status !== 200)
        throw new Error(`snapshot: GET ${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
      return [name, result.body] as const;
    }),
  );
  const snapshot = Object.fromEntries(entries) as unknown as StoreSnapshot;
  // lastUsedAt is refreshed by authentication itself (at most once a minute), not by the request under test.
  snapshot.keys = (snapshot.keys as Record<string, unknown>[]).map(({ lastUsedAt: _lastUsedAt, ...key }) => key);
  return snapshot;
}
