// `berth traffic <app>`: revisions with their traffic and tags; with splits (`NAME=PERCENT` or
// `NAME=PERCENT:TAG`) sets them; `--promote NAME` sends 100 % to one revision.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { printJson, printTable } from '../output.js';

export function parseSplit(raw: string): { revisionName: string; percent: number; tag?: string } {
  const match = /^([^=]+)=(\d{1,3})(?::([a-z0-9-]+))?$/.exec(raw);
  if (!match?.[1] || !match[2]) throw new CliError(`not REVISION=PERCENT[:TAG]: ${raw}`, exitCodes.usage);
  return { revisionName: match[1], percent: Number(match[2]), ...(match[3] ? { tag: match[3] } : {}) };
}

/** `http://{tag}---{slug}.{base}:{port}`; null for an app without a URL (a worker or cron app). */
export function taggedUrl(appUrl: string | null, tag: string): string | null {
  if (appUrl === null) return null;
  const url = new URL(appUrl);
  url.hostname = `${tag}---${url.hostname}`;
  return url.origin;
}

/** `2/2 ready`; `none` for a revision nothing runs of (promoting it starts one first). */
export function instancesText(revision: { readyInstances: number; totalInstances: number }): string {
  return revision.totalInstances === 0 ? 'none' : `${revision.readyInstances}/${revision.totalInstances} ready`;
}

export function registerTraffic(program: Command, context: CommandContext): void {
  program
    .command('traffic')
    .description("show an app's revisions and traffic, or set splits: berth traffic my-app my-app-00002=90 my-app-00003=10:canary")
    .argument('<app>', "the app's id or slug")
    .argument('[splits...]', 'REVISION=PERCENT[:TAG], adding up to 100')
    .option('--promote <revision>', 'send all traffic to this revision')
    .option('--json', 'print as JSON')
    .action(async (appRef: string, splits: string[], options: { promote?: string } & JsonOption) => {
      const { api, workspaceId: wsId } = await context.connect();
      if (options.promote && splits.length > 0) throw new CliError('give splits or --promote, not both', exitCodes.usage);
      const app = await unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId: appRef } } }));
      if (options.promote) {
        const answer = await unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/revisions/{revisionName}/promote', { params: { path: { wsId, revisionName: options.promote } } }));
        if (options.json) return printJson(answer);
      } else if (splits.length > 0) {
        const answer = await unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/apps/{appId}/traffic', { params: { path: { wsId, appId: app.id } }, body: { splits: splits.map(parseSplit) } }));
        if (options.json) return printJson(answer);
      }
      const revisions = await unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/apps/{appId}/revisions', { params: { path: { wsId, appId: app.id } } }));
      if (options.json) return printJson(revisions.map((r) => ({ ...r, url: r.tag ? taggedUrl(app.url, r.tag) : null })));
      printTable(
        ['REVISION', 'STATUS', 'TRAFFIC', 'INSTANCES', 'TAG', 'TAGGED URL'],
        revisions.map((r) => [r.revisionName, r.status, `${r.trafficPercent}%`, instancesText(r), r.tag, r.tag ? taggedUrl(app.url, r.tag) : null]),
      );
      return undefined;
    });
}
