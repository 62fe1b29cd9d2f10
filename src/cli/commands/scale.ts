// `berth scale <app> <replicas>` (0 stops it), plus the autoscaling range with --min/--max.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { note, printJson } from '../output.js';

const whole = (raw: string, name: string) => {
  if (!/^\d+$/.test(raw)) throw new CliError(`${name}: not a whole number: ${raw}`, exitCodes.usage);
  return Number(raw);
};

/** `2 ready now` and, while some stop (an app may ignore SIGTERM until the drain timeout), `1 still stopping`. */
export function scaleNow(scaled: { currentReplicas: number; stoppingInstances?: number }): string {
  const stopping = scaled.stoppingInstances ? `, ${scaled.stoppingInstances} still stopping` : '';
  return `${scaled.currentReplicas} ready now${stopping}`;
}

const onOff = (raw: string): boolean => {
  if (raw === 'on' || raw === 'off') return raw === 'on';
  throw new CliError(`--session-affinity: on or off, not ${raw}`, exitCodes.usage);
};

export function registerScale(program: Command, context: CommandContext): void {
  program
    .command('scale')
    .description('set how many instances run now (0 stops the app); --min/--max set autoscaling')
    .argument('<app>', "the app's id or slug")
    .argument('[replicas]', 'instances (0-10)')
    .option('--min <n>', 'autoscaling: fewest replicas')
    .option('--max <n>', 'autoscaling: most replicas (autoscaling is on when max > min)')
    .option('--cpu-target <percent>', 'autoscaling: target cpu use of the limit')
    .option('--session-affinity <on|off>', "keep each browser on the instance that answered it first (a cookie): for in-memory sessions and socket.io's polling transport")
    .option('--json', 'print the API answer as JSON')
    .action(async (appRef: string, replicas: string | undefined, options: { min?: string; max?: string; cpuTarget?: string; sessionAffinity?: string } & JsonOption) => {
      if (replicas === undefined && !options.min && !options.max && !options.cpuTarget && options.sessionAffinity === undefined)
        throw new CliError('give a replica count or --min/--max/--cpu-target/--session-affinity', exitCodes.usage);
      const affinity = options.sessionAffinity === undefined ? undefined : onOff(options.sessionAffinity);
      const { api, workspaceId: wsId } = await context.connect();
      const answers: Record<string, unknown> = {};
      if (affinity !== undefined) {
        const app = await unwrap(api.PATCH('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId: appRef } }, body: { sessionAffinity: affinity } }));
        answers.sessionAffinity = app.sessionAffinity;
        if (!options.json) note(app.sessionAffinity ? `Session affinity on: each browser stays on the instance that answered it first` : 'Session affinity off: requests are spread over the instances');
      }
      if (options.min || options.max || options.cpuTarget) {
        const app = await unwrap(
          api.PATCH('/api/v1/workspaces/{wsId}/apps/{appId}', {
            params: { path: { wsId, appId: appRef } },
            body: {
              ...(options.min ? { minReplicas: whole(options.min, '--min') } : {}),
              ...(options.max ? { maxReplicas: whole(options.max, '--max') } : {}),
              ...(options.cpuTarget ? { cpuTargetUtilization: whole(options.cpuTarget, '--cpu-target') } : {}),
            },
          }),
        );
        answers.autoscaling = { minReplicas: app.minReplicas, maxReplicas: app.maxReplicas, cpuTargetUtilization: app.cpuTargetUtilization };
        if (!options.json) note(`Autoscaling ${app.minReplicas}–${app.maxReplicas} replicas at ${app.cpuTargetUtilization} % cpu`);
      }
      if (replicas !== undefined) {
        const scaled = await unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/scale', { params: { path: { wsId } }, body: { appId: appRef, replicas: whole(replicas, 'replicas') } }));
        answers.scale = scaled;
        if (!options.json) note(`Scaling ${scaled.name} to ${scaled.requestedReplicas} (${scaleNow(scaled)})`);
      }
      if (options.json) printJson(answers);
    });
}
