// What `--sync` needs, checked before a command changes anything: a key with the scopes the
// rollout takes, and a serving revision to roll from. A never-deployed app has none; that is no
// error: it gets the change at its first deploy.
import { unwrap } from '../api-client.js';
import type { Connection } from '../api-client.js';
import { whoami } from '../connection.js';
import { CliError, exitCodes } from '../exit-codes.js';

interface SyncCheck {
  /** Scopes the rollout takes beyond the change itself (the API refuses the change in its own words). */
  needs: string[];
  /** What the refusal says did not happen: "nothing was attached". */
  nothingDone: string;
}

/**
 * Throws (exit 3) when the key lacks a scope the rollout takes, so the command stops before it
 * changes anything; else whether a revision serves the app (null: the key may not read revisions).
 */
export async function checkSync(connection: Connection, appRef: string, check: SyncCheck): Promise<{ serving: boolean | null }> {
  const { scopes } = await whoami(connection.url, connection.key);
  const missing = check.needs.filter((scope) => !scopes.includes(scope));
  if (missing.length > 0) {
    throw new CliError(
      `--sync needs a key with the ${missing.join(' and ')} scope${missing.length > 1 ? 's' : ''}, which this key lacks, so ${check.nothingDone}. ` +
        `Without --sync, ${appRef} gets the change at its next deploy.`,
      exitCodes.auth,
    );
  }
  if (!scopes.includes('deploy:read')) return { serving: null };
  const path = { wsId: connection.workspaceId, appId: appRef };
  const revisions = await unwrap(connection.api.GET('/api/v1/workspaces/{wsId}/deploy/apps/{appId}/revisions', { params: { path } }));
  return { serving: revisions.some((r) => r.trafficPercent > 0) };
}

/** Said instead of a rollout when nothing serves the app yet. */
export const nothingToRoll = (appRef: string, firstDeploy: string) =>
  `${appRef} has not been deployed yet (no revision serves it), so --sync has nothing to roll out: ${firstDeploy} (berth deploy --app ${appRef})`;

/** A rollout after a change that already stands: its failure says the change stands, with the failure's own exit code. */
export async function afterChange<T>(done: string, appRef: string, rollout: () => Promise<T>): Promise<T> {
  try {
    return await rollout();
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    throw new CliError(`${done}, but --sync did not roll ${appRef} out: ${error.message}. ${appRef} gets the change at its next deploy`, error.exitCode);
  }
}
