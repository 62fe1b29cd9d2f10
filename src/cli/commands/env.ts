// `berth env list|set|unset|import`: an app's env vars (secrets stay masked). `--sync` rolls the
// running app onto a new revision with the new values right away (checked first: see sync-readiness.ts).
import fs from 'node:fs';
import { parseEnv } from 'node:util';
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { Connection } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { afterChange, checkSync, nothingToRoll } from '../deploy/sync-readiness.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { note, printJson, printTable } from '../output.js';

const syncHelp = 'roll the running app onto the new values now, without waiting for it (an app not deployed yet gets them at its first deploy)';

type SyncPlan = { serving: boolean | null } | null;

/** Before a change with --sync: whether the app has a revision to roll (the change itself takes env-vars:write, as the sync does). */
async function syncPlan(connection: Connection, appId: string, now: boolean): Promise<SyncPlan> {
  return now ? checkSync(connection, appId, { needs: [], nothingDone: 'no env var was changed' }) : null;
}

/** Without --sync nothing restarts: say so, since Heroku-style platforms restart on a config change. */
async function applyOrHint(connection: Connection, appId: string, plan: SyncPlan, done: string): Promise<void> {
  if (!plan) return note(`The running app keeps its current values until its next deploy (or run this again with --sync to roll it onto them now)`);
  if (plan.serving === false) return note(nothingToRoll(appId, 'its first deploy starts it with these values'));
  const path = { wsId: connection.workspaceId, appId };
  const deployment = await afterChange(done, appId, () => unwrap(connection.api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars/sync', { params: { path } })));
  return note(`Syncing: deployment ${deployment.id} rolls the app onto the new values (berth status ${appId})`);
}

function pairs(assignments: string[]): { key: string; value: string }[] {
  return assignments.map((assignment) => {
    const at = assignment.indexOf('=');
    if (at <= 0) throw new CliError(`not KEY=VALUE: ${assignment}`, exitCodes.usage);
    return { key: assignment.slice(0, at), value: assignment.slice(at + 1) };
  });
}

export function registerEnv(program: Command, context: CommandContext): void {
  const appPath = async (appRef: string) => {
    const connection = await context.connect();
    return { connection, path: { wsId: connection.workspaceId, appId: appRef } };
  };
  const listEnv = async (appRef: string, options: JsonOption) => {
    const { connection, path } = await appPath(appRef);
    const vars = await unwrap(connection.api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars', { params: { path } }));
    if (options.json) return printJson(vars);
    if (vars.length === 0) return note(`${appRef} has no env vars (berth env set ${appRef} KEY=VALUE)`);
    printTable(['KEY', 'VALUE', 'SECRET'], vars.map((v) => [v.key, v.value, v.isSecret ? 'yes' : 'no']));
    return undefined;
  };
  // `berth env my-app` lists, as `berth domains my-app` does.
  const env = program
    .command('env')
    .description("an app's env vars, listed without a subcommand; list, set, unset, import")
    .argument('<app>', "the app's id or slug (lists its env vars, as `env list <app>` does)")
    // `env set … --json` belongs to set, not to this listing.
    .enablePositionalOptions()
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nAn app named list, set, unset or import is taken for the subcommand here: `berth env list <app>` lists any app\'s env vars.')
    .action((appRef: string, options: JsonOption) => listEnv(appRef, options));

  env
    .command('list')
    .description('list the env vars (secret values masked; works for any app name, even `set`)')
    .argument('<app>', "the app's id or slug")
    .option('--json', 'print as JSON')
    .action((appRef: string, options: JsonOption) => listEnv(appRef, options));

  env
    .command('set')
    .description('set one or more KEY=VALUE')
    .argument('<app>', "the app's id or slug")
    .argument('<assignments...>', 'KEY=VALUE pairs')
    .option('--secret', 'store the values as secrets (masked, encrypted at rest)')
    .option('--sync', syncHelp)
    .option('--json', 'print the stored vars as JSON')
    .action(async (appRef: string, assignments: string[], options: { secret?: boolean; sync?: boolean } & JsonOption) => {
      const vars = pairs(assignments).map((p) => ({ ...p, isSecret: options.secret === true }));
      const { connection, path } = await appPath(appRef);
      const plan = await syncPlan(connection, appRef, options.sync === true);
      const stored = await unwrap(connection.api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars/bulk', { params: { path }, body: { vars } }));
      if (options.json) printJson(stored);
      else note(`Set ${vars.map((v) => v.key).join(', ')}`);
      await applyOrHint(connection, appRef, plan, `set ${vars.map((v) => v.key).join(', ')}`);
    });

  env
    .command('unset')
    .description('remove one or more keys')
    .argument('<app>', "the app's id or slug")
    .argument('<keys...>', 'the keys')
    .option('--sync', syncHelp)
    .action(async (appRef: string, keys: string[], options: { sync?: boolean }) => {
      const { connection, path } = await appPath(appRef);
      const vars = await unwrap(connection.api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars', { params: { path } }));
      const missing = keys.filter((key) => !vars.some((v) => v.key === key));
      if (missing.length > 0) throw new CliError(`no such env var: ${missing.join(', ')}`, exitCodes.notFound);
      const plan = await syncPlan(connection, appRef, options.sync === true);
      for (const v of vars.filter((candidate) => keys.includes(candidate.key)))
        await unwrap(connection.api.DELETE('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars/{envVarId}', { params: { path: { ...path, envVarId: v.id } } }));
      note(`Removed ${keys.join(', ')}`);
      await applyOrHint(connection, appRef, plan, `removed ${keys.join(', ')}`);
    });

  env
    .command('import')
    .description('set every variable of a .env file')
    .argument('<app>', "the app's id or slug")
    .argument('<file>', 'the .env file')
    .option('--secret', 'store the values as secrets')
    .option('--sync', syncHelp)
    .option('--json', 'print the stored vars as JSON')
    .action(async (appRef: string, file: string, options: { secret?: boolean; sync?: boolean } & JsonOption) => {
      if (!fs.existsSync(file)) throw new CliError(`no such file: ${file}`, exitCodes.usage);
      const parsed = Object.entries(parseEnv(fs.readFileSync(file, 'utf8')));
      if (parsed.length === 0) throw new CliError(`${file} has no KEY=value lines`, exitCodes.usage);
      const { connection, path } = await appPath(appRef);
      const plan = await syncPlan(connection, appRef, options.sync === true);
      const vars = parsed.map(([key, value]) => ({ key, value: value ?? '', isSecret: options.secret === true }));
      const stored = await unwrap(connection.api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/env-vars/bulk', { params: { path }, body: { vars } }));
      if (options.json) printJson(stored);
      else note(`Imported ${vars.length} variables from ${file}`);
      await applyOrHint(connection, appRef, plan, `imported ${vars.length} variables from ${file}`);
    });
}
