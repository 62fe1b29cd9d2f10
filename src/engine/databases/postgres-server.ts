// One PostgreSQL server per database: initdb on its volume the first time, then `postgres`
// listening on a unix socket only (in the volume's `run` directory, which attached apps get
// mounted), supervised: restarted when it exits (not when it refuses to start, saying why: a
// damaged data dir, a bad setting; given up on, in postgres's words, after failed restarts in a
// row), stopped with Berth (a fast shutdown), killed with it after a kill -9 (its pid namespace
// goes with it).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from '../../core/ports/logger.js';
import { serverSocketSubPath } from '../../domain/database.js';
import { runCommand } from '../spawn.js';
import { postgresLogReason } from './postgres-log-reason.js';
import { serverArgv, ServerExitedEarly, superviseServer, type ServerLimits, type ServerState, type ServerTools, SERVER_ENV, VOLUME_IN_SERVER, waitUntilServing } from './supervised-server.js';
import type { RestartPolicy } from './restart-policy.js';
import { maskSecrets } from './tool-failure.js';

export interface ServerCredentials {
  admin: { user: string; password: string };
  owner: { user: string; password: string };
  reader: { user: string; password: string };
  database: string;
}

export interface PostgresServerInput {
  tools: ServerTools;
  bin: string;
  user: { uid: number; gid: number };
  /** The volume's directory (owned by the server's user). */
  dir: string;
  memoryMi: number;
  logger: Logger;
  limits: ServerLimits | null;
  /** How it is restarted when it exits (default: restart-policy.ts's). */
  restartPolicy?: RestartPolicy;
  /** Called once when Berth gives up restarting the server after it had served: why it last exited (in postgres's words where it gave them), and how many starts failed in a row. */
  onGaveUp?: (lastExit: string, failedStarts: number) => void;
}

export interface PostgresServer {
  readonly socketDir: string;
  readonly credentials: ServerCredentials;
  /** A client of the database as `role`, over the socket. */
  connect(role: 'admin' | 'owner' | 'reader', database?: string): Promise<pg.Client>;
  /** Whether the server's process runs now (the supervisor restarts it when it exits). */
  running(): boolean;
  /** What the supervisor is doing with it (reasons in postgres's words, secrets masked). */
  state(): ServerState;
  stop(): Promise<void>;
}

/** A postgres that exited before it served, saying why (`reason`: its FATAL or PANIC line). */
export class PostgresRefused extends Error {
  constructor(readonly reason: string) {
    super(`postgres exited before it served: ${reason}`);
  }
}

const secret = () => randomBytes(24).toString('base64url');

const inServer = (...parts: string[]) => join(VOLUME_IN_SERVER, ...parts);

async function initialise(input: PostgresServerInput, credentials: ServerCredentials): Promise<void> {
  const pwfile = join(input.dir, serverSocketSubPath, '.pwfile');
  await writeFile(pwfile, credentials.admin.password, { mode: 0o600 });
  await chown(pwfile, input.user.uid, input.user.gid);
  try {
    const initdb = [join(input.bin, 'initdb'), '-D', inServer('pgdata'), '-U', credentials.admin.user, '--auth=scram-sha-256', `--pwfile=${inServer(serverSocketSubPath, '.pwfile')}`, '-E', 'UTF8', '--no-instructions'];
    const argv = serverArgv({ tools: input.tools, dir: input.dir, user: input.user, command: initdb });
    const result = await runCommand(argv, { env: SERVER_ENV, timeoutMs: 120_000, cwd: '/' });
    if (result.exitCode !== 0) throw new Error(`initdb failed: ${result.stderr.trim().split('\n').slice(-3).join(' ') || `exit ${result.exitCode}`}`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

/** Creates the app's role and database and the read-only role the query endpoint uses. */
async function createRoles(server: PostgresServer): Promise<void> {
  const { owner, reader, database } = server.credentials;
  const admin = await server.connect('admin', 'postgres');
  try {
    const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
    await admin.query(`CREATE ROLE ${owner.user} LOGIN PASSWORD ${quote(owner.password)}`);
    await admin.query(`CREATE DATABASE ${database} OWNER ${owner.user}`);
    // Reads everything, writes nothing: no ownership, no write grants, read-only by default too.
    await admin.query(`CREATE ROLE ${reader.user} LOGIN PASSWORD ${quote(reader.password)} NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    await admin.query(`GRANT pg_read_all_data TO ${reader.user}`);
    await admin.query(`ALTER ROLE ${reader.user} SET default_transaction_read_only = on`);
    await admin.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  } finally {
    await admin.end();
  }
}

export async function startPostgresServer(input: PostgresServerInput): Promise<PostgresServer> {
  const pgdata = join(input.dir, 'pgdata');
  const socketDir = join(input.dir, serverSocketSubPath);
  const credentialsFile = join(input.dir, 'berth-credentials.json');
  await mkdir(socketDir, { recursive: true, mode: 0o755 });
  await chown(socketDir, input.user.uid, input.user.gid);
  // The credentials are written last, whole (a rename), once the cluster is made: without them no
  // provisioning finished and no app ever connected, so a cluster half made may go. With them, a
  // data dir postgres refuses (PG_VERSION lost, say) is never wiped: the server fails in its words.
  const fresh = !existsSync(credentialsFile);
  let credentials: ServerCredentials;
  if (fresh) {
    credentials = { admin: { user: 'berth_admin', password: secret() }, owner: { user: 'app', password: secret() }, reader: { user: 'berth_reader', password: secret() }, database: 'app' };
    await rm(pgdata, { recursive: true, force: true });
    await initialise(input, credentials);
    // Root's alone: the server's user (and so no app) can read it.
    await writeFile(`${credentialsFile}.partial`, JSON.stringify(credentials), { mode: 0o600 });
    await rename(`${credentialsFile}.partial`, credentialsFile);
  } else {
    credentials = JSON.parse(await readFile(credentialsFile, 'utf8')) as ServerCredentials;
  }

  const sharedBuffersMi = Math.max(16, Math.floor(input.memoryMi / 4));
  const secrets = [credentials.admin.password, credentials.owner.password, credentials.reader.password];
  const connect = async (role: 'admin' | 'owner' | 'reader', database?: string) => {
    const who = credentials[role];
    const client = new pg.Client({ host: socketDir, user: who.user, password: who.password, database: database ?? credentials.database });
    await client.connect();
    return client;
  };
  const supervised = await superviseServer({
    tools: input.tools,
    dir: input.dir,
    user: input.user,
    command: [
      join(input.bin, 'postgres'), '-D', inServer('pgdata'),
      '-c', 'listen_addresses=', '-c', `unix_socket_directories=${inServer(serverSocketSubPath)}`, '-c', 'unix_socket_permissions=0777',
      '-c', `shared_buffers=${sharedBuffersMi}MB`, '-c', 'max_connections=50', '-c', 'logging_collector=off',
    ],
    comm: 'postgres',
    // PostgreSQL's fast shutdown.
    stopSignal: 'SIGINT',
    logger: input.logger,
    limits: input.limits,
    probe: async () => {
      // A fresh cluster has only the admin's database until the roles are made.
      const client = await connect('admin', fresh ? 'postgres' : credentials.database);
      await client.end();
    },
    // Killed, or its launch failed before postgres ran (bwrap's words), or a passing reason: restarted.
    refusesToStart: (exit) => {
      const { reason, passing } = postgresLogReason(exit.output);
      return exit.code !== null && reason !== '' && !passing;
    },
    reasonOf: (exit) => maskSecrets(postgresLogReason(exit.output).reason, secrets),
    ...(input.restartPolicy ? { restartPolicy: input.restartPolicy } : {}),
    ...(input.onGaveUp ? { onGaveUp: input.onGaveUp } : {}),
  });

  const server: PostgresServer = {
    socketDir,
    credentials,
    connect,
    running: () => supervised.running(),
    state: () => supervised.state(),
    stop: () => supervised.stop(),
  };
  try {
    await waitUntilServing(supervised, input.logger);
  } catch (error) {
    if (error instanceof ServerExitedEarly) {
      // No reason in its log (killed, or its launch failed before postgres ran): how it ended, after its failed starts.
      const { exit } = error;
      const reason = postgresLogReason(exit.output).reason || (exit.signal ? `killed by ${exit.signal}` : `status ${exit.code ?? 'unknown'}`);
      throw new PostgresRefused(maskSecrets(reason, secrets));
    }
    throw error;
  }
  if (fresh) await createRoles(server);
  return server;
}
