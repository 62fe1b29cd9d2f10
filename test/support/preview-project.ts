// The small Vite + React project of the preview tests and bench (test/fixtures/vite-react-preview,
// versions pinned to ones that run on Node 20), written into an app version through the files API.
import fs from 'node:fs';
import path from 'node:path';

export const previewProjectDir = path.join(import.meta.dirname, '..', 'fixtures', 'vite-react-preview');

/** Relative path → content of every file of the project. */
export function previewProjectFiles(dir = previewProjectDir): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const relative = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else out[relative] = fs.readFileSync(path.join(dir, relative), 'utf8');
    }
  };
  walk('');
  return out;
}

type Request = (method: string, urlPath: string, options?: { body?: unknown }) => Promise<{ status: number; body: any }>;

/** Creates an app and writes `files` into its default version; returns both ids. */
export async function appWithFiles(request: Request, name: string, files: Record<string, string>): Promise<{ appId: string; versionId: string }> {
  const app = await request('POST', '/api/apps', { body: { name } });
  if (app.status !== 201) throw new Error(`creating the app: ${app.status} ${JSON.stringify(app.body)}`);
  for (const [filePath, content] of Object.entries(files)) {
    const written = await request('POST', `/api/app-versions/${app.body.defaultVersionId}/files`, { body: { path: filePath, content } });
    if (written.status !== 201) throw new Error(`writing ${filePath}: ${written.status} ${JSON.stringify(written.body)}`);
  }
  return { appId: app.body.id, versionId: app.body.defaultVersionId };
}
