// `berth rollback <app> [deployment]`: back to the succeeded deployment before the latest one
// (or the one named), waiting until the rollback is serving.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { describeEnd, followDeployment } from '../deploy/follow-deployment.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { note, printJson } from '../output.js';

export function registerRollback(program: Command, context: CommandContext): void {
  program
    .command('rollback')
    .description('roll an app back to its previous succeeded deployment (or the one named)')
    .argument('<app>', "the app's id or slug")
    .argument('[deployment]', 'the deployment id to go back to')
    .option('--json', 'print the rollback deployment as JSON')
    .action(async (appRef: string, deployId: string | undefined, options: JsonOption) => {
      const connection = await context.connect();
      const { api, workspaceId: wsId } = connection;
      let target = deployId;
      if (!target) {
        const app = await unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId: appRef } } }));
        const succeeded = await unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId }, query: { appId: app.id, status: 'succeeded', limit: 2 } } }));
        target = succeeded.data[1]?.id;
        if (!target) throw new CliError(`${app.slug} has no earlier succeeded deployment to roll back to`, exitCodes.rejected);
      }
      const rollback = await unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/{deployId}/rollback', { params: { path: { wsId, deployId: target } } }));
      note(`Rolling back to ${target}: deployment ${rollback.id}`);
      const final = await followDeployment(connection, rollback.id, { quiet: true });
      if (options.json) printJson(final);
      if (final.status !== 'succeeded') throw new CliError(`rollback: ${describeEnd(final)}`, exitCodes.failed);
      // A rollback runs the earlier build as a new revision (with the app's current env vars).
      if (!options.json) note(`Rolled back: ${final.revisionName ?? 'a new revision'} serves the build of ${target} and receives all traffic`);
    });
}
