// `berth apps` (list) and `berth create <name>`.
import { Option } from 'commander';
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { printJson, printTable } from '../output.js';
import { createdLine, shownUrl } from '../../domain/app-kind-facts.js';

export const slugOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

export function registerApps(program: Command, context: CommandContext): void {
  program
    .command('apps')
    .description("list the workspace's apps")
    .option('--search <text>', 'only apps whose name or slug contains this')
    .option('--page <n>', 'page of 100', '1')
    .option('--json', 'print the API answer as JSON')
    .action(async (options: { search?: string; page: string } & JsonOption) => {
      const { api, workspaceId: wsId } = await context.connect();
      const answer = await unwrap(api.GET('/api/v1/workspaces/{wsId}/apps', { params: { path: { wsId }, query: { page: Number(options.page), limit: 100, search: options.search } } }));
      if (options.json) return printJson(answer);
      printTable(
        ['SLUG', 'NAME', 'TYPE', 'STATUS', 'URL'],
        answer.data.map((app) => [app.slug, app.name, app.type, app.status, shownUrl(app)]),
      );
      return undefined;
    });

  program
    .command('create')
    .description('create an app (then `berth deploy` it)')
    .argument('<name>', "the app's name")
    .option('--slug <slug>', 'its slug, in its URL (default: from the name)')
    .addOption(new Option('--type <type>', 'what it runs').choices(['web', 'api', 'worker', 'cron']).default('web'))
    .option('--git <url>', 'deploy from this git repository (https)')
    .option('--branch <branch>', 'with --git: the branch to deploy (default: main)')
    .option('--schedule <cron>', "cron apps (required for them): when to run, a cron expression such as '*/15 * * * *'")
    .option('--private', 'answer only requests with a workspace key or a share link')
    .option('--json', 'print the created app as JSON')
    .action(async (name: string, options: { slug?: string; type: 'web' | 'api' | 'worker' | 'cron'; git?: string; branch?: string; schedule?: string; private?: boolean } & JsonOption) => {
      if (options.branch !== undefined && !options.git) throw new CliError('--branch goes with --git <url>: the branch of that repository to deploy', exitCodes.usage);
      const { api, workspaceId: wsId } = await context.connect();
      const app = await unwrap(
        api.POST('/api/v1/workspaces/{wsId}/apps', {
          params: { path: { wsId } },
          body: {
            name,
            slug: options.slug ?? slugOf(name),
            type: options.type,
            visibility: options.private ? 'private' : 'public',
            ...(options.schedule ? { schedule: options.schedule } : {}),
            ...(options.git ? { gitRepoUrl: options.git, gitBranch: options.branch ?? 'main' } : {}),
          },
        }),
      );
      if (options.json) return printJson(app);
      process.stdout.write(`${createdLine(app)}\n`);
      return undefined;
    });
}
