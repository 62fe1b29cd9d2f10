import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { previewPlan } from './preview-plan.js';

const dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-plan-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return dir;
}
const pkg = (value: unknown) => ({ 'package.json': JSON.stringify(value) });

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('previewPlan', () => {
  it.each([
    [{ dev: 'vite' }, 'Vite', ['/bin/sh', '-c', 'exec "$0" "$@" --host 0.0.0.0 --port "$PORT" --strictPort', 'vite']],
    [{ dev: 'vite --open false' }, 'Vite', ['/bin/sh', '-c', 'exec "$0" "$@" --host 0.0.0.0 --port "$PORT" --strictPort', 'vite', '--open', 'false']],
    [{ dev: 'next dev' }, 'Next.js', ['/bin/sh', '-c', 'exec "$0" "$@" -H 0.0.0.0 -p "$PORT"', 'next', 'dev']],
    [{ start: 'npm run serve', serve: 'vite' }, 'Vite', ['/bin/sh', '-c', 'exec "$0" "$@" --host 0.0.0.0 --port "$PORT" --strictPort', 'vite']],
    [{ dev: 'node server.js && echo $(whoami)' }, 'npm run dev', ['npm', 'run', 'dev']],
  ])('runs %j with %s', async (scripts, tool, command) => {
    const plan = await previewPlan(tree(pkg({ scripts, devDependencies: { vite: '6.4.1' } })));
    expect(plan).toMatchObject({ tool, command });
  });

  it('installs by lockfile, and nothing without dependencies', async () => {
    const locked = await previewPlan(tree({ ...pkg({ scripts: { dev: 'vite' }, dependencies: { react: '18.3.1' } }), 'package-lock.json': '{}' }));
    expect(locked).toMatchObject({ install: ['npm', 'ci', '--include=dev', '--no-audit', '--no-fund'], cacheKeyFiles: ['package.json', 'package-lock.json'] });
    expect((await previewPlan(tree(pkg({ scripts: { dev: 'node s.js' } })))).install).toBeNull();
  });

  it('says why it cannot preview a tree', async () => {
    await expect(previewPlan(tree({ 'index.html': '' }))).rejects.toThrow('no package.json');
    await expect(previewPlan(tree({ 'package.json': '{' }))).rejects.toThrow('package.json is not valid JSON');
    await expect(previewPlan(tree(pkg({ scripts: { build: 'vite build' } })))).rejects.toThrow('neither a "dev" nor a "start" script');
  });
});
