// Where `berth login` keeps the Berth URL and API key: config.json in the user's config dir,
// written with mode 0600 (the folder 0700), since the key is a credential.
import fs from 'node:fs';
import path from 'node:path';

export interface StoredLogin {
  url: string;
  key: string;
  workspaceId: string;
}

export const loginFile = (configDir: string) => path.join(configDir, 'config.json');

export function readLogin(configDir: string): StoredLogin | null {
  const file = loginFile(configDir);
  if (!fs.existsSync(file)) return null;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<StoredLogin>;
    if (typeof parsed.url === 'string' && typeof parsed.key === 'string' && typeof parsed.workspaceId === 'string')
      return { url: parsed.url, key: parsed.key, workspaceId: parsed.workspaceId };
  } catch {
    // unreadable: the same as not logged in; `berth login` writes a good one
  }
  return null;
}

export function writeLogin(configDir: string, login: StoredLogin): string {
  fs.mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const file = loginFile(configDir);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(temporary, 0o600);
  fs.renameSync(temporary, file);
  return file;
}

export function removeLogin(configDir: string): boolean {
  const file = loginFile(configDir);
  if (!fs.existsSync(file)) return false;
  fs.rmSync(file);
  return true;
}
