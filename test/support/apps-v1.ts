// What the Apps API (spec 002) tests share: its error shape asserted in one place, a multipart
// body made by hand (in-process requests), and what a workspace holds (to prove nothing was stored).
import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { HttpResult, TestBerth } from './test-berth.js';

export interface AppsV1ErrorBody {
  error: { status: number; code: string; message: string; details: { field: string | null; message: string }[]; request_id: string };
}

/** Asserts the status and the exact error shape; `details` of a 400 are checked when given. */
export function expectV1Error(result: HttpResult, status: number, code: string, details?: { field: string | null; message: string }[]): AppsV1ErrorBody['error'] {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  const body = result.body as AppsV1ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toEqual({
    status,
    code,
    message: expect.any(String),
    details: details ?? (status === 400 ? expect.any(Array) : []),
    request_id: expect.stringMatching(/.+/),
  });
  if (status === 400) {
    expect(body.error.details.length).toBeGreaterThan(0);
    expect(body.error.message).toBe(body.error.details[0]?.message);
  }
  return body.error;
}

/** A multipart/form-data body with one file part (and optional text fields). */
export function multipartBody(file: { name?: string; filename: string; data: Buffer; type?: string }, fields: Record<string, string> = {}): { payload: Buffer; contentType: string } {
  const boundary = `----berth${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name ?? 'tarball'}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/gzip'}\r\n\r\n`),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST …/build in process, with a multipart body. */
export async function postBuild(t: TestBerth, app: string, body: { payload: Buffer; contentType: string }): Promise<HttpResult<any>> {
  const res = await t.berth.api.inject({
    method: 'POST',
    url: `/api/v1/apps/${app}/build`,
    headers: { authorization: `Bearer ${t.key}`, 'content-type': body.contentType },
    payload: body.payload,
  });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as unknown) : null, headers: new Headers(res.headers as Record<string, string>) };
}

/** Apps, deployments, env vars, uploads and audit entries of the workspace: equal before and after a refused call. */
export async function storedState(t: TestBerth): Promise<Record<string, number>> {
  const store = t.berth.store;
  const { apps } = await store.apps.list({ workspaceId: t.workspaceId, page: 1, limit: 100_000 });
  let deployments = 0;
  let env = 0;
  let uploads = 0;
  for (const app of apps) {
    deployments += (await store.deployments.listAll(app.id)).length;
    env += (await store.envVars.list(app.id)).length;
    if (await store.uploads.latestComplete(app.id)) uploads += 1;
  }
  return { apps: apps.length, deployments, env, uploads, audit: (await store.audit.list(t.workspaceId, 100_000)).length };
}
