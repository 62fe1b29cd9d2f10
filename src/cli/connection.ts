// Which Berth and key a command uses: BERTH_URL / BERTH_API_KEY when set, else what `berth login`
// stored. The workspace comes from /api-keys/whoami, as every client of the API resolves it.
import type { CliSettings } from '../config.js';
import { createApi, unwrap } from './api-client.js';
import type { Connection } from './api-client.js';
import { CliError, exitCodes } from './exit-codes.js';
import { readLogin } from './login-store.js';

export async function whoami(url: string, key: string) {
  return unwrap(createApi(url, key).GET('/api/v1/api-keys/whoami'));
}

export async function connect(settings: CliSettings): Promise<Connection> {
  const stored = readLogin(settings.configDir);
  const url = settings.url ?? stored?.url;
  const key = settings.apiKey ?? stored?.key;
  if (!url || !key) throw new CliError('not logged in: run `berth login <url>` (or set BERTH_URL and BERTH_API_KEY)', exitCodes.auth);
  const workspaceId = stored && stored.url === url && stored.key === key ? stored.workspaceId : (await whoami(url, key)).workspaceId;
  return { url, key, workspaceId, api: createApi(url, key) };
}
