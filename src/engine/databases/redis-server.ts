// One redis-server per REDIS database: a password, persistence on its volume (append-only file),
// a unix socket in the volume's `run` directory only (attached apps get it mounted), as the
// machine's `redis` user, supervised like every database server.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { basename, join } from 'node:path';
import type { Logger } from '../../core/ports/logger.js';
import { serverSocketSubPath } from '../../domain/database.js';
import { superviseServer, VOLUME_IN_SERVER, waitUntilServing, type ServerLimits, type ServerTools, type ServerUser } from './supervised-server.js';

export const REDIS_SOCKET_NAME = 'redis.sock';

export interface RedisServer {
  readonly password: string;
  readonly socketPath: string;
  stop(): Promise<void>;
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

export async function startRedisServer(input: { tools: ServerTools; bin: string; user: ServerUser; dir: string; memoryMi: number; logger: Logger; limits: ServerLimits | null }): Promise<RedisServer> {
  const runDir = join(input.dir, serverSocketSubPath);
  const dataDir = join(input.dir, 'redis');
  const passwordFile = join(input.dir, 'berth-credentials.json');
  for (const dir of [runDir, dataDir]) {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    await chown(dir, input.user.uid, input.user.gid);
  }
  if (!existsSync(passwordFile)) await writeFile(passwordFile, JSON.stringify({ password: randomBytes(24).toString('base64url') }), { mode: 0o600 });
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
  const supervised = await superviseServer({ tools: input.tools, dir: input.dir, user: input.user, command: [input.bin, `${VOLUME_IN_SERVER}/redis.conf`], comm: basename(input.bin).slice(0, 15), stopSignal: 'SIGTERM', logger: input.logger, limits: input.limits });
  const socketPath = join(runDir, REDIS_SOCKET_NAME);
  await waitUntilServing(supervised, async () => {
    const pong = await redisCommand(socketPath, password, ['PING']);
    if (pong !== '+PONG') throw new Error(`redis answered ${pong}`);
  });
  return { password, socketPath, stop: () => supervised.stop() };
}
