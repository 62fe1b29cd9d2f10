// A minimal client for a Berth reached only over its API (a child process): JSON requests with
// the admin key, and the upload flow (init, signed PUT, complete) for a tarball of files.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';

export interface ApiClient {
  call<T = any>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export function apiClient(baseUrl: string, key: string): ApiClient {
  return {
    async call(method, urlPath, body) {
      const res = await fetch(`${baseUrl}/api/v1${urlPath}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}

async function tarballOf(files: Record<string, string>): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-tgz-'));
  try {
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(src, file), content);
    const out = path.join(dir, 'upload.tgz');
    await tar.c({ gzip: true, cwd: src, file: out, portable: true }, Object.keys(files));
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Uploads the files as a source tarball of the app; returns the upload id to deploy. */
export async function uploadSource(api: ApiClient, wsId: string, appId: string, files: Record<string, string>): Promise<string> {
  const data = await tarballOf(files);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const init = await api.call('POST', `/workspaces/${wsId}/apps/${appId}/uploads/init`, { sizeBytes: data.length, sha256 });
  if (init.status !== 201) throw new Error(`upload init answered ${init.status}: ${JSON.stringify(init.body)}`);
  const put = await fetch(init.body.presignedPutUrl as string, { method: 'PUT', body: data, headers: init.body.headers as Record<string, string> });
  if (put.status !== 200) throw new Error(`upload PUT answered ${put.status}`);
  const complete = await api.call('POST', `/workspaces/${wsId}/apps/${appId}/uploads/${init.body.uploadId as string}/complete`, { sha256 });
  if (complete.status !== 200) throw new Error(`upload complete answered ${complete.status}: ${JSON.stringify(complete.body)}`);
  return init.body.uploadId as string;
}
