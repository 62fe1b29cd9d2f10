// A volume id becomes a directory name: only ids Berth generates (`vol_…`, `db_…`) may.
export function checkVolumeId(volumeId: string): string {
  if (!/^[a-z]{2,4}_[a-z0-9]{10,40}$/.test(volumeId)) throw new Error(`refusing volume id ${JSON.stringify(volumeId)}`);
  return volumeId;
}

/** A directory inside a volume: one plain name, never a way out of it. */
export function checkSubPath(subPath: string): string {
  if (!/^[a-z0-9_-]{1,40}$/.test(subPath)) throw new Error(`refusing volume sub-path ${JSON.stringify(subPath)}`);
  return subPath;
}
