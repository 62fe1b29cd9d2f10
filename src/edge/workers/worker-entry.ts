// How to start an edge worker process: from source (tsx, tests, `npm run dev`) it is
// edge-worker-main.ts under the tsx loader; in the bundle `npm start` runs, it is the
// edge-worker-main.mjs built beside berth.mjs. The caller spawns it (main.ts, through engine/spawn.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkerCommand {
  argv: string[];
  cwd: string;
}

/**
 * A worker's young generation starts at its largest: a proxy's garbage is all short-lived, and
 * fewer scavenges cut the instructions per request by 3.9% (bench/edge-instructions.ts under these
 * flags: 52.6k vs 54.8k), for 32 MB more per worker.
 */
const heapFlags = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

export function edgeWorkerCommand(): WorkerCommand {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const script = fileURLToPath(new URL('./edge-worker-main.ts', here));
    // tsx resolves from the repository root.
    return { argv: [process.execPath, ...heapFlags, '--import', 'tsx', script], cwd: fileURLToPath(new URL('../../..', here)) };
  }
  const script = fileURLToPath(new URL('./edge-worker-main.mjs', here));
  return { argv: [process.execPath, ...heapFlags, script], cwd: path.dirname(script) };
}
