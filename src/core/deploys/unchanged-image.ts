// An image deploy whose tag still resolves to the digest the app already serves, with the same
// env, limits and registry credential, has nothing to roll out (spec 002's /deploy: "roll out if
// the digest changed"). A new revision would run the same bytes with the same settings and only
// churn instances. A deploy that names another credential does roll out: the revision's instances
// pull with the one their revision names.
import type { App } from '../../domain/app.js';
import { isServing } from '../../domain/revision.js';
import type { Revision } from '../../domain/revision.js';
import type { Deps } from '../deps.js';
import { appEnv } from '../env-vars/app-env.js';

/** The revision that serves all of the app's traffic and already runs `pinned` (pulled with `registryAuthRef`) as it would now, or null. */
export async function revisionAlreadyRunning(deps: Pick<Deps, 'store'>, app: App, image: { pinned: string; registryAuthRef: string | null }): Promise<Revision | null> {
  const serving = (await deps.store.traffic.get(app.id)).filter(isServing);
  if (serving.length !== 1) return null;
  const revision = await deps.store.revisions.byId(serving[0]!.revisionId);
  if (!revision || revision.imageRef !== image.pinned || revision.status !== 'ready') return null;
  if ((revision.config.registryAuthRef ?? null) !== image.registryAuthRef) return null;
  const sameLimits = revision.config.cpuLimitMillicores === app.cpuLimitMillicores && revision.config.memoryLimitMi === app.memoryLimitMi;
  const sameProbe = revision.config.readinessPath === app.readinessPath && revision.config.readinessType === app.readinessType;
  return sameLimits && sameProbe && sameEnv(revision.env, await appEnv(deps, app.id)) ? revision : null;
}

function sameEnv(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}
