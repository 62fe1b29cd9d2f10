// `berth logs <app> [-f] [--severity]`: the newest lines (oldest first), then with -f each new
// line live. `--json` prints one JSON entry per line (NDJSON), for scripts that follow too.
import { Option } from 'commander';
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { followEventStream } from '../event-stream.js';
import { CliError, exitCodes } from '../exit-codes.js';

const severities = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
type Severity = (typeof severities)[number];
interface Entry {
  /** Absent from Berths before it was answered. */
  seq?: number | null;
  timestamp: string;
  severity: Severity;
  message: string;
  /** Absent from Berths before it was answered. */
  instanceId?: string;
}

/** `10m`, `2h`, `1d` ago, or an ISO date. */
export function parseSince(raw: string, now = Date.now()): string {
  const relative = /^(\d+)(s|m|h|d)$/.exec(raw);
  if (relative) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now - Number(relative[1]) * unit).toISOString();
  }
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw new CliError(`--since: not a duration (10m, 2h, 1d) or a date: ${raw}`, exitCodes.usage);
  return date.toISOString();
}

/** `2026-12-05T02:15:02.100Z INFO     [notes-00002-7f3a1c] listening on 8080`: which instance (and so which revision) said it. */
const print = (entry: Entry, json: boolean) =>
  process.stdout.write(json ? `${JSON.stringify(entry)}\n` : `${entry.timestamp} ${entry.severity.padEnd(8)} ${entry.instanceId ? `[${entry.instanceId}] ` : ''}${entry.message}\n`);

export function registerLogs(program: Command, context: CommandContext): void {
  program
    .command('logs')
    .description("an app's logs, newest last; -f keeps following")
    .argument('<app>', "the app's id or slug")
    .option('-f, --follow', 'keep printing new lines as they come (Ctrl-C stops)')
    .addOption(new Option('--severity <level>', 'only this level').choices(severities))
    .option('--since <when>', 'from this long ago (10m, 2h, 1d) or this date')
    .option('-n, --limit <n>', 'how many recent lines first (0-1000)', '100')
    .option('--json', 'one JSON entry per line')
    .action(async (appRef: string, options: { follow?: boolean; severity?: Severity; since?: string; limit: string } & JsonOption) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 0 || limit > 1000) throw new CliError('--limit: a whole number from 0 to 1000', exitCodes.usage);
      const connection = await context.connect();
      const { api, workspaceId: wsId } = connection;
      const app = await unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId: appRef } } }));
      const path = { wsId, appId: app.id };
      /** Where the stream picks up: after the newest line printed, so none written meanwhile is missed. */
      let after: string | undefined;
      if (limit > 0) {
        const page = await unwrap(
          api.GET('/api/v1/workspaces/{wsId}/monitoring/apps/{appId}/logs', {
            params: { path, query: { limit, severity: options.severity, startTime: options.since ? parseSince(options.since) : undefined } },
          }),
        );
        for (const entry of page.logs.slice().reverse()) print(entry, options.json === true);
        // Filtered, the newest line shown may be old: following from it would resend everything since.
        const newest = page.logs[0]?.seq;
        if (!options.severity && !options.since && typeof newest === 'number') after = String(newest);
      }
      if (!options.follow) return;
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      await followEventStream({
        url: `${connection.url}/api/v1/workspaces/${wsId}/monitoring/apps/${app.id}/logs/stream`,
        key: connection.key,
        signal: stop.signal,
        lastEventId: after,
        onReconnect: (reason, inMs) => process.stderr.write(`(${reason}; reconnecting in ${Math.round(inMs / 1000)} s, from the last line shown)\n`),
        onEvent(event) {
          if (event.event === 'end') return 'stop';
          if (event.event === 'skipped') {
            const { skipped } = JSON.parse(event.data) as { skipped: number | null };
            process.stderr.write(
              skipped === null ? '(lines skipped, how many is unknown: Berth no longer keeps them)\n' : `(${skipped} lines skipped: this terminal fell behind)\n`,
            );
            return undefined;
          }
          const entry = JSON.parse(event.data) as Entry;
          if (!options.severity || entry.severity === options.severity) print(entry, options.json === true);
          return undefined;
        },
      });
    });
}
