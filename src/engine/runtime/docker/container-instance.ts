// One container Berth runs: its output as lines, its exit (code, OOM kill) read from the engine
// once it stops, its usage from the stats API, and a stop that is SIGTERM, then SIGKILL once the
// drain timeout passes. The container is removed after its exit is known.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { Artifact, InstanceStatus, InstanceUsage, OutputLine, UsageOptions } from '../../../core/ports/runtime.js';
import { createDiskMeter } from '../host/disk-usage.js';
import { createLineSplitter } from '../host/line-splitter.js';
import { createUsageMeter } from '../host/usage.js';

export interface InstanceHooks {
  emitLine(line: OutputLine): void;
  emitExit(status: InstanceStatus): void;
}

export interface ContainerInstance {
  readonly status: InstanceStatus;
  readonly artifact: Artifact;
  /** The container's init pid on the host (its network namespace), 0 when not known. */
  readonly pid: number;
  /** Settles with a human-readable reason once the container has exited. */
  readonly exitReason: Promise<string>;
  /** Settles once the exit is recorded (status says exited). */
  readonly exited: Promise<InstanceStatus>;
  markReady(port: number | null): void;
  stop(drainTimeoutMs: number): Promise<void>;
  usage(options?: UsageOptions): Promise<InstanceUsage | null>;
}

const diskMeter = createDiskMeter();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

function describeExit(status: InstanceStatus): string {
  if (status.oomKilled) return 'killed by the memory limit (OOMKilled)';
  return `exit code ${status.exitCode ?? 'unknown'}`;
}

/** Lines of the attached (multiplexed) stream; resolves when it ends. */
function pipeLines(docker: Docker, stream: NodeJS.ReadableStream, status: InstanceStatus, hooks: InstanceHooks): Promise<void> {
  const make = (name: 'stdout' | 'stderr') => {
    const pass = new PassThrough();
    const splitter = createLineSplitter((line) =>
      hooks.emitLine({ instanceId: status.instanceId, appId: status.appId, revisionName: status.revisionName, stream: name, line, at: new Date() }),
    );
    pass.on('data', (chunk: Buffer) => splitter.push(chunk));
    return { pass, splitter };
  };
  const out = make('stdout');
  const err = make('stderr');
  docker.modem.demuxStream(stream, out.pass, err.pass);
  return new Promise((resolve) => {
    const done = () => {
      out.splitter.flush();
      err.splitter.flush();
      resolve();
    };
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

export interface TrackInput {
  docker: Docker;
  container: Docker.Container;
  status: InstanceStatus;
  artifact: Artifact;
  pid: number;
  /** The attached output stream (attached before start, or when adopted). */
  output: NodeJS.ReadableStream;
  hooks: InstanceHooks;
}

export function trackContainer(input: TrackInput): ContainerInstance {
  const { docker, container, status, hooks } = input;
  const meter = createUsageMeter(status.startedAt.getTime());
  const outputDone = pipeLines(docker, input.output, status, hooks);
  let stopping: Promise<void> | null = null;

  const exited: Promise<InstanceStatus> = (async () => {
    await container.wait().catch(() => undefined);
    // The last lines arrive with the end of the stream, shortly after the exit.
    await Promise.race([outputDone, sleep(2_000)]);
    const info = await container.inspect().catch(() => null);
    status.phase = 'exited';
    status.exitedAt = info?.State.FinishedAt && !info.State.FinishedAt.startsWith('0001') ? new Date(info.State.FinishedAt) : new Date();
    status.exitCode = info ? info.State.ExitCode : null;
    status.oomKilled = info?.State.OOMKilled === true;
    await container.remove({ force: true, v: true }).catch(() => undefined);
    hooks.emitExit({ ...status });
    return { ...status };
  })();

  return {
    status,
    artifact: input.artifact,
    pid: input.pid,
    exitReason: exited.then(describeExit),
    exited,
    markReady(port) {
      if (port !== null && status.address) status.address = { ...status.address, port };
      status.phase = 'running';
    },
    stop(drainTimeoutMs) {
      stopping ??= (async () => {
        if (status.phase === 'exited') return;
        await container.kill({ signal: 'SIGTERM' }).catch(() => undefined);
        const gone = await Promise.race([exited.then(() => true), sleep(drainTimeoutMs).then(() => false)]);
        if (!gone) await container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
        await exited;
      })();
      return stopping;
    },
    async usage(options = {}) {
      if (status.phase === 'exited') return null;
      const stats = await container.stats({ stream: false, 'one-shot': true }).catch(() => null);
      if (!stats || !stats.memory_stats.usage) return null;
      const cache = (stats.memory_stats.stats as { cache?: number } | undefined)?.cache ?? 0;
      const usage = meter.next({ cpuSeconds: stats.cpu_stats.cpu_usage.total_usage / 1e9, memoryBytes: Math.max(0, stats.memory_stats.usage - cache) }, Date.now());
      const networks = Object.values(stats.networks ?? {});
      const diskBytes = !options.disk
        ? null
        : input.artifact.kind === 'tree'
          ? await diskMeter(input.artifact.dir)
          : ((await (container.inspect as (o: { size: boolean }) => Promise<unknown>).call(container, { size: true }).catch(() => null)) as { SizeRw?: number } | null)?.SizeRw ?? null;
      return {
        ...usage,
        diskBytes,
        networkRxBytes: networks.length > 0 ? networks.reduce((sum, n) => sum + n.rx_bytes, 0) : null,
        networkTxBytes: networks.length > 0 ? networks.reduce((sum, n) => sum + n.tx_bytes, 0) : null,
      };
    },
  };
}
