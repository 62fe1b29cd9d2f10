// A build log followed as Server-Sent Events (text/event-stream): `: connected`, then one event
// per line (`id:` its sequence number), a comment every heartbeat so proxies keep an idle stream,
// and `event: end` saying how the build ended. The Dooor dialect's deployment logs and the REST
// dialect's app builds use it, each with its own shape of a line and of the end.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BuildLogLine } from '../domain/build.js';

export interface FollowHooks {
  signal: AbortSignal;
  /** Called by the core once the caller may read the log (a refusal throws before: an ordinary error answer). */
  onStart(): void;
  onLine(line: BuildLogLine): void;
}

export interface FollowSseOptions<T> {
  heartbeatMs: number;
  follow(hooks: FollowHooks): Promise<T>;
  presentLine(line: BuildLogLine): unknown;
  presentEnd(final: T): unknown;
}

export async function followAsSse<T>(request: FastifyRequest, reply: FastifyReply, options: FollowSseOptions<T>): Promise<void> {
  const res = reply.raw;
  const controller = new AbortController();
  let heartbeat: NodeJS.Timeout | undefined;
  const open = () => {
    reply.hijack();
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    res.on('close', () => controller.abort());
    heartbeat = setInterval(() => res.write(': heartbeat\n\n'), options.heartbeatMs);
  };
  try {
    const final = await options.follow({
      signal: controller.signal,
      onStart: open,
      onLine: (line) => res.write(`id: ${line.seq}\ndata: ${JSON.stringify(options.presentLine(line))}\n\n`),
    });
    if (!controller.signal.aborted) res.write(`event: end\ndata: ${JSON.stringify(options.presentEnd(final))}\n\n`);
  } catch (error) {
    if (!reply.sent) throw error;
    request.log.error({ err: error }, 'build log stream failed');
  } finally {
    clearInterval(heartbeat);
    if (reply.sent) res.end();
  }
}
