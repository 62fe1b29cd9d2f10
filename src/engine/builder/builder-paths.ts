// Every directory the builder derives, in one place (changing one orphans what is on disk).
import path from 'node:path';

export function builderPaths(root: string) {
  return {
    uids: path.join(root, 'uids.json'),
    state: path.join(root, 'state'),
    uploads: path.join(root, 'uploads'),
    cache: path.join(root, 'cache'),
    artifacts: path.join(root, 'artifacts'),
    revisions: path.join(root, 'revisions'),
    work: (deploymentId: string) => path.join(root, 'work', deploymentId),
    revision: (deploymentId: string) => path.join(root, 'revisions', deploymentId),
  };
}
