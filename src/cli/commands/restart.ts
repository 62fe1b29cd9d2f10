// `berth restart <app>`: replaces every instance of what serves, one at a time (each new one is
// ready before the old one leaves, so no request fails), without a new revision or build, as
// `heroku restart` does; answers once all were replaced.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { note, printJson } from '../output.js';

export function registerRestart(program: Command, context: CommandContext): void {
  program
    .command('restart')
    .description('replace every instance of the app, one at a time (no new revision, no failed request)')
    .argument('<app>', "the app's id or slug")
    .option('--json', 'print the API answer as JSON')
    .action(async (appRef: string, options: JsonOption) => {
      const { api } = await context.connect();
      note(`Restarting ${appRef}: one instance at a time…`);
      const answer = await unwrap(api.POST('/api/v1/apps/{id}/restart', { params: { path: { id: appRef } } }));
      if (options.json) return printJson(answer);
      if (answer.restarted.length === 0) process.stdout.write(`nothing to restart: no instance of ${appRef} ran from before the restart (none runs, or a rollout just started them all)\n`);
      for (const r of answer.restarted) process.stdout.write(`${r.pod} → ${r.replaced_by}\n`);
      return undefined;
    });
}
