// A real Berth (the startBerth `npm start` runs) on a temp data dir, isolation off, with `count`
// apps in its workspace created through the core's createApp use-case, 250 at a time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { Principal } from '../../src/domain/workspace.js';
import { startBerth, type RunningBerth } from '../../src/main.js';

export interface BerthWithApps {
  berth: RunningBerth;
  dataDir: string;
  key: string;
  actor: Principal;
  seedSeconds: number;
  /** Stops Berth and removes its data dir. */
  close(): Promise<void>;
}

export async function startBerthWithApps(input: {
  name: string;
  count: number;
  env?: Record<string, string>;
  app: (i: number) => { name: string; slug: string; type?: 'web' | 'worker' };
}): Promise<BerthWithApps> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `berth-bench-${input.name}-`));
  const config = loadConfig({
    BERTH_PORT: '0',
    BERTH_EDGE_PORT: '0',
    BERTH_DATA_DIR: dataDir,
    BERTH_LOG_LEVEL: 'warn',
    BERTH_ISOLATION: 'off',
    BERTH_CGROUP_NAME: `berth-bench-${input.name}`,
    ...input.env,
  });
  const berth = await startBerth(config);
  const key = fs.readFileSync(path.join(dataDir, 'admin-key'), 'utf8').trim();
  const actor = await berth.core.authenticate({ plainKey: key });
  if (!actor) throw new Error('the admin key did not authenticate');
  const started = performance.now();
  for (let first = 0; first < input.count; first += 250) {
    const ids = Array.from({ length: Math.min(250, input.count - first) }, (_, k) => first + k);
    await Promise.all(ids.map((i) => berth.core.createApp({ actor, workspaceId: actor.workspaceId, ...input.app(i) })));
  }
  return {
    berth,
    dataDir,
    key,
    actor,
    seedSeconds: (performance.now() - started) / 1000,
    async close() {
      await berth.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
