// Every directory the builder derives, in one place (changing one orphans what is on disk).
import path from 'node:path';

export function builderPaths(root: string) {
  return {
    uids: path.join(root, 'uids.json'),
    state: path.join(root, 'state'),
    uploads: path.join(root, 'uploads'),
    cache: path.join(root, 'cache'),
    /** Frameworks' build caches (`.next/cache`, …), one per app. */
    buildCache: (appId: string) => path.join(root, 'build-cache', appId),
    /**
     * Where an app's install and build run when its framework keeps a build cache: the same path
     * at every build, because webpack's cache holds absolute paths and is void anywhere else.
     */
    stage: (appId: string) => path.join(root, 'stage', appId),
    artifacts: path.join(root, 'artifacts'),
    revisions: path.join(root, 'revisions'),
    work: (deploymentId: string) => path.join(root, 'work', deploymentId),
    revision: (deploymentId: string) => path.join(root, 'revisions', deploymentId),
  };
}
