// `berth open <app>`: opens the app's URL (or its console page) in the default browser.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { shownUrl } from '../../domain/app-kind-facts.js';

export function registerOpen(program: Command, context: CommandContext): void {
  program
    .command('open')
    .description("open an app's URL in the browser")
    .argument('<app>', "the app's id or slug")
    .option('--console', "open the app's page in the web console instead")
    .option('--print', 'only print the URL')
    .action(async (appRef: string, options: { console?: boolean; print?: boolean }) => {
      const connection = await context.connect();
      const app = await unwrap(connection.api.GET('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId: connection.workspaceId, appId: appRef } } }));
      const url = options.console ? `${connection.url}/apps/${app.id}` : shownUrl(app);
      if (url === null) throw new CliError(`${app.slug} is a ${app.type} app: it takes no HTTP requests, so it has no page to open (try --console)`, exitCodes.failed);
      process.stdout.write(`${url}\n`);
      if (options.print) return;
      const { default: open } = await import('open');
      await open(url);
    });
}
