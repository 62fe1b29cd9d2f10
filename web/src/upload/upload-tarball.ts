// The upload flow of client-contract.md: init (size, sha256) → PUT to the presigned URL without
// the key (XMLHttpRequest, for upload progress) → complete → the upload id a deploy names.
import { api, errorFrom, unwrap } from '../api/client';
import { sha256Hex } from './sha256';

export interface UploadProgress {
  phase: 'hashing' | 'uploading' | 'verifying';
  loaded: number;
  total: number;
}

export async function uploadTarball(input: { workspaceId: string; appId: string; tarball: Blob; onProgress: (p: UploadProgress) => void }): Promise<string> {
  const { workspaceId: wsId, appId, tarball, onProgress } = input;
  onProgress({ phase: 'hashing', loaded: 0, total: tarball.size });
  const sha256 = await sha256Hex(tarball);
  const path = { wsId, appId };
  const init = await unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/uploads/init', { params: { path }, body: { sizeBytes: tarball.size, sha256 } }));
  await put(init.presignedPutUrl, init.headers, tarball, (loaded) => onProgress({ phase: 'uploading', loaded, total: tarball.size }));
  onProgress({ phase: 'verifying', loaded: tarball.size, total: tarball.size });
  await unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/uploads/{uploadId}/complete', { params: { path: { ...path, uploadId: init.uploadId } }, body: { sha256 } }));
  return init.uploadId;
}

function put(url: string, headers: Record<string, string>, body: Blob, onLoaded: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => onLoaded(event.loaded);
    request.onerror = () => reject(errorFrom(0, { message: 'The upload could not reach Berth' }));
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) return resolve();
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(request.responseText);
      } catch {
        // not JSON: errorFrom words it from the status
      }
      reject(errorFrom(request.status, parsed));
    };
    request.send(body);
  });
}
