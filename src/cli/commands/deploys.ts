// `berth deploys <app>`: the app's deployments, newest first, as `heroku releases` lists them:
// what ran, which revision it made, why it ended, so `berth rollback <app> <id>` has an id to take.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { printJson, printTable } from '../output.js';

/** `42 s`, `3 min`: how long it took. */
export function tookWords(seconds: number | null): string | null {
  if (seconds === null) return null;
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** One line about it: the error of a failed one, else the commit's first line, else its source. */
export function deploymentLine(d: { error: string | null; gitCommitMessage: string | null; gitCommitSha: string | null; rolledBackFrom: string | null; imageRef: string | null }): string | null {
  if (d.error) return d.error;
  if (d.rolledBackFrom) return `rollback to ${d.rolledBackFrom}`;
  if (d.gitCommitMessage || d.gitCommitSha) return [d.gitCommitSha?.slice(0, 7), d.gitCommitMessage?.split('\n')[0]].filter(Boolean).join(' ');
  return null;
}

export function registerDeploys(program: Command, context: CommandContext): void {
  program
    .command('deploys')
    .description("an app's deployments, newest first (ids for `berth rollback`)")
    .argument('<app>', "the app's id or slug")
    .option('-n, --limit <n>', 'how many (at most 100)', '20')
    .option('--json', 'print the API answer as JSON')
    .action(async (appRef: string, options: { limit: string } & JsonOption) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CliError(`--limit: a whole number from 1 to 100, not ${options.limit}`, exitCodes.usage);
      const { api, workspaceId: wsId } = await context.connect();
      const app = await unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId: appRef } } }));
      const answer = await unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId }, query: { appId: app.id, limit } } }));
      if (options.json) return printJson(answer);
      printTable(
        ['ID', 'STATUS', 'REVISION', 'TRIGGER', 'CREATED', 'TOOK', 'WHAT'],
        answer.data.map((d) => [d.id, d.status, d.revisionName, d.triggerType, d.createdAt, tookWords(d.durationSeconds), deploymentLine(d)]),
      );
      return undefined;
    });
}
