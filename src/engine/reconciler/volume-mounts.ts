// The storage every instance of an app gets, whatever its revision: the app's volumes and the
// volumes of the SQLITE databases attached to it (a database's volume bears its id), and the
// socket directories of the database servers attached to it.
import type { VolumeMount } from '../../core/ports/runtime.js';
import type { Store } from '../../core/ports/store.js';
import { serverSocketSubPath } from '../../domain/database.js';

export async function volumeMounts(store: Pick<Store, 'volumes' | 'databases'>, appId: string): Promise<VolumeMount[]> {
  const mounts: VolumeMount[] = (await store.volumes.list(appId)).map((v) => ({ volumeId: v.id, mountPath: v.mountPath, sizeMi: v.sizeMi }));
  for (const attachment of await store.databases.attachmentsOfApp(appId)) {
    if (attachment.mountPath === null) continue;
    const database = await store.databases.byId(attachment.databaseId);
    if (!database) continue;
    const mount: VolumeMount = { volumeId: database.id, mountPath: attachment.mountPath, sizeMi: database.resources.storageGb * 1024 };
    mounts.push(database.engine === 'SQLITE' ? mount : { ...mount, subPath: serverSocketSubPath });
  }
  return mounts;
}
