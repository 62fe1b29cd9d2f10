// How to start an edge worker process: from source (tsx, tests, `npm run dev`) it is
// edge-worker-main.ts under the tsx loader; in the bundle `npm start` runs, it is the
// edge-worker-main.mjs built beside berth.mjs. The caller spawns it (main.ts, through engine/spawn.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkerCommand {
  argv: string[];
  cwd: string;
}

export function edgeWorkerCommand(): WorkerCommand {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const script = fileURLToPath(new URL('./edge-worker-main.ts', here));
    // tsx resolves from the repository root.
    return { argv: [process.execPath, '--import', 'tsx', script], cwd: fileURLToPath(new URL('../../..', here)) };
  }
  const script = fileURLToPath(new URL('./edge-worker-main.mjs', here));
  return { argv: [process.execPath, script], cwd: path.dirname(script) };
}
