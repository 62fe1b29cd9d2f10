// `berth databases attach|detach <db> <app>`: the link takes effect at the app's next deploy
// (the connection is an env var of the revision); --sync rolls the app onto a new revision now.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { syncApp } from '../deploy/sync-app.js';
import { note, printJson } from '../output.js';

const syncHint = 'add --sync to roll the running app onto a new revision now';

export function registerDatabaseLinks(databases: Command, context: CommandContext): void {
  databases
    .command('attach')
    .description("give an app the database (its connection as an env var; SQLITE: its volume mounted); takes effect at the app's next deploy, or now with --sync")
    .argument('<db>', "the database's slug or id")
    .argument('<app>', "the app's id or slug")
    .option('--mount-path <path>', 'SQLITE: where the volume is mounted (default: /var/lib/dooor/sqlite)')
    .option('--sync', 'roll the app onto a new revision with the database now, and wait for it')
    .option('--json', 'print the attachment as JSON')
    .action(async (dbRef: string, appRef: string, options: { mountPath?: string; sync?: boolean } & JsonOption) => {
      const connection = await context.connect();
      const { api, workspaceId: wsId } = connection;
      const attached = await unwrap(
        api.POST('/api/v1/workspaces/{wsId}/databases/{dbId}/attachments', {
          params: { path: { wsId, dbId: dbRef } },
          body: { appId: appRef, ...(options.mountPath !== undefined ? { mountPath: options.mountPath } : {}) },
        }),
      );
      if (options.json) printJson(attached);
      note(`Attached ${attached.slug} to ${appRef} as ${attached.secretName}${attached.mountPath ? `, mounted at ${attached.mountPath}` : ''}`);
      if (!options.sync) return note(`${appRef} gets it at its next deploy (${syncHint})`);
      const deployment = await syncApp(connection, appRef);
      return note(`Synced: ${deployment.revisionName ?? 'a new revision'} serves ${appRef} with ${attached.secretName}`);
    });

  databases
    .command('detach')
    .description("take the database from an app (its data stays); takes effect at the app's next deploy, or now with --sync")
    .argument('<db>', "the database's slug or id")
    .argument('<app>', "the app's id or slug")
    .option('--sync', 'roll the app onto a new revision without the database now, and wait for it')
    .action(async (dbRef: string, appRef: string, options: { sync?: boolean }) => {
      const connection = await context.connect();
      const { api, workspaceId: wsId } = connection;
      await unwrap(api.DELETE('/api/v1/workspaces/{wsId}/databases/{dbId}/attachments/{appId}', { params: { path: { wsId, dbId: dbRef, appId: appRef } } }));
      note(`Detached ${dbRef} from ${appRef} (its data stays)`);
      if (!options.sync) return note(`${appRef} keeps it until its next deploy (${syncHint})`);
      const deployment = await syncApp(connection, appRef);
      return note(`Synced: ${deployment.revisionName ?? 'a new revision'} serves ${appRef} without ${dbRef}`);
    });
}
