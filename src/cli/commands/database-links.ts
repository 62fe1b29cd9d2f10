// `berth databases attach|detach <db> <app>`: the link takes effect at the app's next deploy
// (the connection is an env var of the revision); --sync rolls the app onto a new revision now.
// What --sync needs is checked first: a key that may not sync changes nothing, and an app that
// was never deployed is linked and told it gets the change at its first deploy (exit 0).
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { afterChange, checkSync, nothingToRoll } from '../deploy/sync-readiness.js';
import { syncApp } from '../deploy/sync-app.js';
import { note, printJson } from '../output.js';

/** The rollout syncs (env-vars:write) and follows the deployment until it serves (deploy:read). */
const syncScopes = ['env-vars:write', 'deploy:read'];
const syncHint = 'add --sync to roll the running app onto a new revision now';

export function registerDatabaseLinks(databases: Command, context: CommandContext): void {
  databases
    .command('attach')
    .description("give an app the database (its connection as an env var; SQLITE: its volume mounted); takes effect at the app's next deploy, or now with --sync")
    .argument('<db>', "the database's slug or id")
    .argument('<app>', "the app's id or slug")
    .option('--mount-path <path>', 'SQLITE: where the volume is mounted (default: /var/lib/dooor/sqlite)')
    .option('--sync', 'roll the app onto a new revision with the database now, and wait for it (needs a key with env-vars:write and deploy:read)')
    .option('--json', 'print the attachment as JSON')
    .addHelpText('after', "\nWith --sync on an app that was never deployed, the database is attached and there is nothing to roll out:\nthe app gets it at its first deploy (exit 0).")
    .action(async (dbRef: string, appRef: string, options: { mountPath?: string; sync?: boolean } & JsonOption) => {
      const connection = await context.connect();
      const { api, workspaceId: wsId } = connection;
      const readiness = options.sync ? await checkSync(connection, appRef, { needs: syncScopes, nothingDone: 'nothing was attached' }) : null;
      const attached = await unwrap(
        api.POST('/api/v1/workspaces/{wsId}/databases/{dbId}/attachments', {
          params: { path: { wsId, dbId: dbRef } },
          body: { appId: appRef, ...(options.mountPath !== undefined ? { mountPath: options.mountPath } : {}) },
        }),
      );
      if (options.json) printJson(attached);
      note(`Attached ${attached.slug} to ${appRef} as ${attached.secretName}${attached.mountPath ? `, mounted at ${attached.mountPath}` : ''}`);
      if (!readiness) return note(`${appRef} gets it at its next deploy (${syncHint})`);
      if (!readiness.serving) return note(nothingToRoll(appRef, `its first deploy gives it ${attached.secretName}`));
      const deployment = await afterChange(`attached ${attached.slug} to ${appRef}`, appRef, () => syncApp(connection, appRef));
      return note(`Synced: ${deployment.revisionName ?? 'a new revision'} serves ${appRef} with ${attached.secretName}`);
    });

  databases
    .command('detach')
    .description("take the database from an app (its data stays); takes effect at the app's next deploy, or now with --sync")
    .argument('<db>', "the database's slug or id")
    .argument('<app>', "the app's id or slug")
    .option('--sync', 'roll the app onto a new revision without the database now, and wait for it (needs a key with env-vars:write and deploy:read)')
    .action(async (dbRef: string, appRef: string, options: { sync?: boolean }) => {
      const connection = await context.connect();
      const { api, workspaceId: wsId } = connection;
      const readiness = options.sync ? await checkSync(connection, appRef, { needs: syncScopes, nothingDone: 'nothing was detached' }) : null;
      await unwrap(api.DELETE('/api/v1/workspaces/{wsId}/databases/{dbId}/attachments/{appId}', { params: { path: { wsId, dbId: dbRef, appId: appRef } } }));
      note(`Detached ${dbRef} from ${appRef} (its data stays)`);
      if (!readiness) return note(`${appRef} keeps it until its next deploy (${syncHint})`);
      if (!readiness.serving) return note(nothingToRoll(appRef, `its first deploy starts it without ${dbRef}`));
      const deployment = await afterChange(`detached ${dbRef} from ${appRef}`, appRef, () => syncApp(connection, appRef));
      return note(`Synced: ${deployment.revisionName ?? 'a new revision'} serves ${appRef} without ${dbRef}`);
    });
}
