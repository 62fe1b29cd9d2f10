// An upload as a client makes one (client-contract.md): init, the signed PUT (in process, without
// the key) and, unless told not to, complete. Answers the upload's id.
import { expect } from 'vitest';
import { sha256 } from '../build/tarballs.js';
import type { TestBerth } from '../support/test-berth.js';

export async function presignedUpload(t: TestBerth, appId: string, data: Buffer, complete = true): Promise<string> {
  const ws = (p: string) => `/api/v1/workspaces/${t.workspaceId}${p}`;
  const init = await t.request('POST', ws(`/apps/${appId}/uploads/init`), { body: { sizeBytes: data.length, sha256: sha256(data) } });
  expect(init.status, JSON.stringify(init.body)).toBe(201);
  const url = new URL(init.body.presignedPutUrl);
  const put = await t.berth.api.inject({ method: 'PUT', url: `${url.pathname}${url.search}`, headers: { 'content-type': 'application/gzip' }, payload: data });
  expect(put.statusCode, put.body).toBe(200);
  if (complete) expect((await t.request('POST', ws(`/apps/${appId}/uploads/${init.body.uploadId}/complete`), { body: {} })).status).toBe(200);
  return init.body.uploadId;
}
