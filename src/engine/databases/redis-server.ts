// One redis-server per REDIS database: a password, persistence on its volume (append-only file),
// a unix socket in the volume's `run` directory only (attached apps get it mounted), as the
// machine's `redis` user, supervised like every database server.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { basename, join } from 'node:path';
import type { Logger } from '../../core/ports/logger.js';
import { serverSocketSubPath } from '../../domain/database.js';
import { ServerExitedEarly, superviseServer, VOLUME_IN_SERVER, waitUntilServing, type ServerLimits, type ServerState, type ServerTools, type ServerUser } from './supervised-server.js';
import type { RestartPolicy } from './restart-policy.js';
import { maskSecrets } from './tool-failure.js';

export const REDIS_SOCKET_NAME = 'redis.sock';

export interface RedisServer {
  readonly password: string;
  readonly socketPath: string;
  /** Whether redis-server's process runs now (the supervisor restarts it when it exits). */
  running(): boolean;
  /** What the supervisor is doing with it (reasons in redis-server's words, the password masked). */
  state(): ServerState;
  stop(): Promise<void>;
}

/** A redis-server that exited before it served; `reason` is what its log said about why (may be ''). */
export class RedisRefused extends Error {
  constructor(readonly reason: string) {
    super(`redis-server exited before it served${reason ? `: ${reason}` : ''}`);
  }
}

/** Startup lines at warning level that say nothing about a failure. */
const ROUTINE = /^(oO0OoO0OoO0Oo Redis is starting|Redis version=|Configuration loaded|Server initialized|WARNING )/;
/** `pid:role dd Mon yyyy hh:mm:ss.mmm <level> message`, as redis-server logs. */
const LOG_LINE = /^\d+:[XCSM] \d{1,2} \w{3} \d{4} [\d:.]+ ([.\-*#]) (.*)$/;
const REASON_LINES = 3;
const REASON_CHARS = 600;

/**
 * Why redis-server stopped, from its log: its last lines at warning level (redis logs a refused
 * file there, e.g. "Bad file format reading the append only file …") and any unformatted ones
 * (redis-check-rdb's report), without the routine start-up lines. '' when redis-server did not
 * log at all (its launch failed before it ran: bwrap's or setpriv's words are no reason of Redis).
 */
export function redisLogReason(log: string): string {
  const lines: string[] = [];
  let logged = false;
  for (const raw of log.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const parsed = LOG_LINE.exec(line);
    logged ||= parsed !== null;
    if (!parsed) lines.push(line);
    else if (parsed[1] === '#' && !ROUTINE.test(parsed[2] ?? '')) lines.push((parsed[2] ?? '').trim());
  }
  const reason = logged ? lines.slice(-REASON_LINES).join(' ') : '';
  return reason.length > REASON_CHARS ? `…${reason.slice(-REASON_CHARS)}` : reason;
}

/** Sends AUTH and one command over the socket; resolves with the reply's first line. */
export function redisCommand(socketPath: string, password: string, command: readonly string[]): Promise<string> {
  const encode = (args: readonly string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let reply = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('redis did not answer')));
    socket.on('connect', () => socket.write(encode(['AUTH', password]) + encode(command)));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      const lines = reply.split('\r\n');
      if (lines.length < 3) return;
      socket.end();
      if (lines[0] !== '+OK') reject(new Error(`redis refused the password: ${lines[0] ?? ''}`));
      else resolve(lines[1] ?? '');
    });
    socket.on('error', reject);
  });
}

export interface RedisServerInput {
  tools: ServerTools;
  bin: string;
  user: ServerUser;
  dir: string;
  memoryMi: number;
  logger: Logger;
  limits: ServerLimits | null;
  /** How it is restarted when it exits (default: restart-policy.ts's). */
  restartPolicy?: RestartPolicy;
  /** Called once when Berth gives up restarting the server after it had served: why it last exited (in redis-server's words where it gave them), and how many starts failed in a row. */
  onGaveUp?: (lastExit: string, failedStarts: number) => void;
}

export async function startRedisServer(input: RedisServerInput): Promise<RedisServer> {
  const runDir = join(input.dir, serverSocketSubPath);
  const dataDir = join(input.dir, 'redis');
  const passwordFile = join(input.dir, 'berth-credentials.json');
  for (const dir of [runDir, dataDir]) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await chown(dir, input.user.uid, input.user.gid);
  }
  if (!existsSync(passwordFile)) {
    // Whole or not at all (a rename): a kill during the write must not leave a file no start can parse.
    await writeFile(`${passwordFile}.partial`, JSON.stringify({ password: randomBytes(24).toString('base64url') }), { mode: 0o600 });
    await rename(`${passwordFile}.partial`, passwordFile);
  }
  const { password } = JSON.parse(await readFile(passwordFile, 'utf8')) as { password: string };
  // The password lives in a file only the server's user reads, never in an argv.
  const config = join(input.dir, 'redis.conf');
  await writeFile(config, [
    'port 0',
    `unixsocket ${VOLUME_IN_SERVER}/${serverSocketSubPath}/${REDIS_SOCKET_NAME}`,
    'unixsocketperm 777',
    `dir ${VOLUME_IN_SERVER}/redis`,
    'appendonly yes',
    'appendfsync everysec',
    'save ""',
    `maxmemory ${Math.max(16, Math.floor(input.memoryMi * 0.8))}mb`,
    `requirepass ${password}`,
    'daemonize no',
    '',
  ].join('\n'), { mode: 0o600 });
  await chown(config, input.user.uid, input.user.gid);
  // A redis-server that exited saying why (a damaged file) says so again on every restart; one
  // that did not get to say anything (its launch failed, it was killed) is restarted as before.
  const socketPath = join(runDir, REDIS_SOCKET_NAME);
  const supervised = await superviseServer({
    tools: input.tools,
    dir: input.dir,
    user: input.user,
    command: [input.bin, `${VOLUME_IN_SERVER}/redis.conf`],
    comm: basename(input.bin).slice(0, 15),
    stopSignal: 'SIGTERM',
    logger: input.logger,
    limits: input.limits,
    probe: async () => {
      const pong = await redisCommand(socketPath, password, ['PING']);
      if (pong !== '+PONG') throw new Error(`redis answered ${pong}`);
    },
    refusesToStart: (exit) => exit.code !== null && redisLogReason(exit.output) !== '',
    reasonOf: (exit) => maskSecrets(redisLogReason(exit.output), [password]),
    ...(input.restartPolicy ? { restartPolicy: input.restartPolicy } : {}),
    ...(input.onGaveUp ? { onGaveUp: input.onGaveUp } : {}),
  });
  try {
    await waitUntilServing(supervised, input.logger);
  } catch (error) {
    if (error instanceof ServerExitedEarly) throw new RedisRefused(maskSecrets(redisLogReason(error.exit.output), [password]));
    throw error;
  }
  return { password, socketPath, running: () => supervised.running(), state: () => supervised.state(), stop: () => supervised.stop() };
}
