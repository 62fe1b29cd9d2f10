// App versions and their files (spec 003) in process, on SQLite and PostgreSQL: write, read
// (text and base64), list directories, update, delete; versions listed and copied; paths that
// escape, oversized files, too many files and too big a tree refused with a 400 naming the limit;
// the executable bit (Berth's addition) kept through updates and copies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherWorkspace } from '../support/another-workspace.js';
import { expectError } from '../support/expect-error.js';
import { backends, startTestBerth } from '../support/test-berth.js';
import type { TestBerth } from '../support/test-berth.js';

describe.each(backends)('REST app versions and files on %s', (backend) => {
  let t: TestBerth;
  let version: string;
  let appId: string;
  const files = (v: string) => `/api/app-versions/${v}/files`;
  const put = (body: unknown, method = 'POST', v = version) => t.request(method, files(v), { body });
  const read = (path: string, v = version) => t.request('GET', `${files(v)}/read?path=${encodeURIComponent(path)}`);
  const ls = (path?: string, v = version) => t.request('GET', `${files(v)}${path === undefined ? '' : `?path=${encodeURIComponent(path)}`}`);

  beforeAll(async () => {
    t = await startTestBerth(backend, {
      via: 'inject',
      env: { BERTH_VERSION_MAX_FILE_KB: '4', BERTH_VERSION_MAX_FILES: '6', BERTH_VERSION_MAX_TREE_MB: '1' },
    });
    const app = (await t.request('POST', '/api/apps', { body: { name: 'Files' } })).body;
    appId = app.id;
    version = app.defaultVersionId;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes, reads, lists, updates and deletes files', async () => {
    expect((await ls()).body).toEqual({ data: [] });
    const created = await put({ path: 'src/App.jsx', content: 'export default () => <h1>hi</h1>;\n' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toEqual({ success: true });
    await put({ path: './index.html', content: '<div id="root"></div>' });
    await put({ path: 'public/logo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]).toString('base64'), encoding: 'base64' });

    expect((await read('src/App.jsx')).body).toEqual({ content: 'export default () => <h1>hi</h1>;\n', contentType: 'text/jsx', encoding: 'utf8', size: 34, executable: false });
    expect((await read('public/logo.png')).body).toEqual({ content: 'iVBORwABAv8=', contentType: 'image/png', encoding: 'base64', size: 8, executable: false });
    expect((await ls()).body.data).toEqual([
      { name: 'public', path: 'public', isDirectory: true, size: 8, executable: false },
      { name: 'src', path: 'src', isDirectory: true, size: 34, executable: false },
      { name: 'index.html', path: 'index.html', isDirectory: false, size: 21, executable: false },
    ]);
    expect((await ls('src')).body.data).toEqual([{ name: 'App.jsx', path: 'src/App.jsx', isDirectory: false, size: 34, executable: false }]);
    expectError(await ls('nope'), 404, 'Directory not found');

    expectError(await put({ path: 'src/App.jsx', content: 'again' }), 409, 'src/App.jsx already exists: update it with PATCH');
    expect((await put({ path: 'src/App.jsx', content: 'changed' }, 'PATCH')).body).toEqual({ success: true });
    expect((await read('src/App.jsx')).body.content).toBe('changed');
    expectError(await put({ path: 'src/Missing.jsx', content: 'x' }, 'PATCH'), 404, 'src/Missing.jsx not found: create it with POST');
    expectError(await put({ path: 'index.html/inner', content: 'x' }), 409, 'index.html is a file, so it cannot hold index.html/inner');
    expectError(await put({ path: 'src', content: 'x' }), 409, 'src is a directory');

    expect((await t.request('DELETE', `${files(version)}?path=public/logo.png`)).body).toEqual({ success: true });
    expectError(await t.request('DELETE', `${files(version)}?path=public/logo.png`), 404);
    expectError(await read('public/logo.png'), 404);
  });

  it('refuses paths that escape or are malformed', async () => {
    for (const [path, problem] of [
      ['../etc/passwd', 'climbs out of the tree with ".."'],
      ['a/../../b', 'climbs out of the tree with ".."'],
      ['/etc/passwd', 'is an absolute path'],
      ['C:/x', 'is an absolute path'],
      ['a//b', 'has an empty or "." segment'],
      ['a\\b', 'contains a backslash (use /)'],
      ['dir/', 'names no file'],
    ] as const) {
      expectError(await put({ path, content: 'x' }), 400, `path "${path}" ${problem}`);
    }
    expectError(await read('../secret'), 400, 'path "../secret" climbs out of the tree with ".."');
    expectError(await ls('../..'), 400);
    expectError(await put({ path: 'bin.dat', content: 'not base64!', encoding: 'base64' }), 400, 'content is not valid base64');
  });

  it('bounds a file, the number of files and the tree, each named', async () => {
    expectError(await put({ path: 'big.txt', content: 'x'.repeat(4 * 1024 + 1) }), 400, 'content is larger than the 4096 bytes a file may hold (BERTH_VERSION_MAX_FILE_KB)');
    const other = (await t.request('POST', `/api/apps/${appId}/versions`, { body: {} })).body;
    for (let i = 0; i < 6; i++) expect((await put({ path: `f${i}.txt`, content: 'x' }, 'POST', other.id)).status).toBe(201);
    expectError(await put({ path: 'f6.txt', content: 'x' }, 'POST', other.id), 400, 'An app version holds at most 6 files (BERTH_VERSION_MAX_FILES)');
    expect((await ls(undefined, other.id)).body.data).toHaveLength(6);
  });

  it('bounds the whole tree, counting a file once however often it is rewritten', async () => {
    const roomy = await startTestBerth(backend, { via: 'inject', env: { BERTH_VERSION_MAX_FILE_KB: '600', BERTH_VERSION_MAX_TREE_MB: '1' } });
    try {
      const v = (await roomy.request('POST', '/api/apps', { body: { name: 'Tree' } })).body.defaultVersionId;
      const write = (path: string, kb: number, method = 'POST') => roomy.request(method, files(v), { body: { path, content: 'x'.repeat(kb * 1024) } });
      expect((await write('a.txt', 500)).status).toBe(201);
      expect((await write('a.txt', 510, 'PATCH')).status).toBe(200);
      expect((await write('b.txt', 500)).status).toBe(201);
      expectError(await write('c.txt', 100), 400, 'An app version holds at most 1048576 bytes in all (BERTH_VERSION_MAX_TREE_MB)');
      expect((await roomy.request('GET', files(v))).body.data.map((f: { path: string }) => f.path)).toEqual(['a.txt', 'b.txt']);
    } finally {
      await roomy.close();
    }
  });

  it('creates versions empty or as copies, lists them, and keeps the copy apart from its source', async () => {
    const copy = await t.request('POST', `/api/apps/${appId}/versions`, { body: { fromVersionId: version } });
    expect(copy.status, JSON.stringify(copy.body)).toBe(201);
    expect(copy.body).toMatchObject({ id: expect.stringMatching(/^appver_/), appId, copiedFrom: version });
    expect((await read('src/App.jsx', copy.body.id)).body.content).toBe('changed');
    await put({ path: 'src/App.jsx', content: 'only in the copy' }, 'PATCH', copy.body.id);
    expect((await read('src/App.jsx')).body.content).toBe('changed');
    const listed = (await t.request('GET', `/api/apps/${appId}/versions`)).body.data.map((v: { id: string }) => v.id);
    expect(listed).toContain(version);
    expect(listed).toContain(copy.body.id);
    const stranger = (await t.request('POST', '/api/apps', { body: { name: 'Stranger' } })).body;
    expectError(await t.request('POST', `/api/apps/${appId}/versions`, { body: { fromVersionId: stranger.defaultVersionId } }), 400, `fromVersionId "${stranger.defaultVersionId}" is not a version of this app`);
  });

  it('hides versions of other workspaces and of deleted apps', async () => {
    const other = await anotherWorkspace(t);
    expectError(await t.request('GET', files(version), { key: other.key }), 404, 'App version not found');
    expectError(await t.request('POST', files(version), { key: other.key, body: { path: 'x', content: 'x' } }), 404);
    const doomed = (await t.request('POST', '/api/apps', { body: { name: 'Doomed' } })).body;
    await t.request('DELETE', `/api/apps/${doomed.id}`);
    expectError(await ls(undefined, doomed.defaultVersionId), 404);
  });

  it('keeps a file’s executable bit (Berth’s addition) through updates that do not name it, and copies', async () => {
    const app = (await t.request('POST', '/api/apps', { body: { name: 'Modes' } })).body;
    const v = app.defaultVersionId;
    expect((await put({ path: 'bin/start.sh', content: '#!/bin/sh\necho hi\n', executable: true }, 'POST', v)).status).toBe(201);
    expect((await put({ path: 'README.md', content: 'x' }, 'POST', v)).status).toBe(201);
    expect((await read('bin/start.sh', v)).body).toMatchObject({ executable: true, size: 18 });
    expect((await read('README.md', v)).body.executable).toBe(false);
    expect((await ls('bin', v)).body.data).toEqual([{ name: 'start.sh', path: 'bin/start.sh', isDirectory: false, size: 18, executable: true }]);
    expect((await ls(undefined, v)).body.data.find((e: { name: string }) => e.name === 'bin')).toMatchObject({ isDirectory: true, executable: false });

    // Content changed, bit unnamed: kept; then cleared by name.
    expect((await put({ path: 'bin/start.sh', content: '#!/bin/sh\necho again\n' }, 'PATCH', v)).status).toBe(200);
    expect((await read('bin/start.sh', v)).body.executable).toBe(true);
    const copy = (await t.request('POST', `/api/apps/${app.id}/versions`, { body: { fromVersionId: v } })).body;
    expect((await read('bin/start.sh', copy.id)).body.executable).toBe(true);
    expect((await put({ path: 'bin/start.sh', content: '#!/bin/sh\n', executable: false }, 'PATCH', v)).status).toBe(200);
    expect((await read('bin/start.sh', v)).body.executable).toBe(false);
    expect((await read('bin/start.sh', copy.id)).body.executable).toBe(true);

    expect((await put({ path: 'bin/other.sh', content: 'x', executable: 'yes' }, 'POST', v)).status).toBe(400);
    expectError(await read('bin/other.sh', v), 404);
  });
});
