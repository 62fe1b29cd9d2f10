// Deploys a picked folder or tarball: pack (folders), upload, then a deploy naming the upload.
import { api, unwrap } from '../api/client';
import type { Deployment } from '../api/types';
import { packTarball } from './pack-tarball';
import type { PickedSource } from './source-picker';
import { uploadTarball } from './upload-tarball';

export interface DeployProgress {
  label: string;
  value?: number;
  max?: number;
}

export async function deployUpload(input: { workspaceId: string; appId: string; source: PickedSource; onProgress: (p: DeployProgress) => void }): Promise<Deployment> {
  const { workspaceId, appId, source, onProgress } = input;
  let tarball: Blob;
  if (source.kind === 'folder') {
    onProgress({ label: 'Packing the folder', value: 0, max: source.files.length });
    tarball = await packTarball(source.files, (done, total) => onProgress({ label: 'Packing the folder', value: done, max: total }));
  } else {
    tarball = source.file;
  }
  const uploadId = await uploadTarball({
    workspaceId,
    appId,
    tarball,
    onProgress: (p) => onProgress({ label: p.phase === 'hashing' ? 'Checking the tarball' : p.phase === 'uploading' ? 'Uploading' : 'Verifying the upload', value: p.loaded, max: p.total }),
  });
  onProgress({ label: 'Starting the deployment' });
  return unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId: workspaceId } }, body: { appId, source: { type: 'UPLOAD', uploadId } } }));
}
