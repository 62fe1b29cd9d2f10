// A session's way to `ready`, in the background: hydrate the version's files, install, start the
// dev server. Each status is written before the step it names; a session stopped meanwhile
// stays stopped (its row refuses the next status) and loses what was started for it.
import type { PreviewFile } from '../ports/previews.js';
import type { App } from '../../domain/app.js';
import type { PreviewChanges, PreviewSession } from '../../domain/preview-session.js';
import { previewHostLabel } from '../../domain/names.js';
import type { Deps } from '../deps.js';

type RunDeps = Pick<Deps, 'store' | 'clock' | 'previews' | 'orchestrator' | 'settings'>;

class Ended extends Error {}

async function* versionFiles(deps: Pick<Deps, 'store'>, versionId: string): AsyncIterable<PreviewFile> {
  for (const entry of await deps.store.versionFiles.list(versionId, '')) {
    const file = await deps.store.versionFiles.read(versionId, entry.path);
    if (file) yield { path: file.path, content: file.content, executable: file.executable };
  }
}

/** Why a step failed, as the session's `error` says it. */
const reasonOf = (error: unknown): string => (error instanceof Error && error.message ? error.message : 'the preview failed for an unknown reason');

export async function runPreview(deps: RunDeps, session: PreviewSession, app: App): Promise<void> {
  const id = session.id;
  const advance = async (changes: PreviewChanges) => {
    if (!(await deps.store.previewSessions.update(id, changes, deps.clock.now()))) throw new Ended();
  };
  const limits = { memoryMi: app.memoryLimitMi, cpuMillicores: app.cpuLimitMillicores };
  try {
    await deps.previews.hydrate(id, () => versionFiles(deps, session.versionId));
    await advance({ status: 'installing' });
    await deps.previews.install({ sessionId: id, appId: app.id, limits });
    await advance({ status: 'starting' });
    const hostname = `${previewHostLabel(id)}.${deps.settings.baseDomain}`;
    const dev = await deps.previews.serve({ sessionId: id, appId: app.id, hostname, limits });
    // The edge serves the session's host before the session says ready.
    await deps.orchestrator.reconcileNow();
    await advance({ status: 'ready', readyAt: deps.clock.now(), metadata: { devServer: dev.tool, command: dev.command } });
  } catch (error) {
    if (!(error instanceof Ended)) {
      const at = deps.clock.now();
      await deps.store.previewSessions.update(id, { status: 'failed', error: reasonOf(error), stoppedAt: at }, at);
    }
    await deps.previews.stop(id);
  }
}
