// `berth databases` (list), `databases create|info|delete`: the workspace's managed databases,
// named by slug or id. attach/detach and query are in their own files.
import { Option } from 'commander';
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { attachedApps } from '../databases/attached-apps.js';
import { confirmDelete } from '../databases/confirm-delete.js';
import { hidePassword } from '../databases/hide-password.js';
import { statusFacts } from '../databases/status-facts.js';
import { waitForDatabase } from '../databases/wait-for-database.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { note, printFacts, printJson, printTable } from '../output.js';
import { slugOf } from './apps.js';
import { registerDatabaseLinks } from './database-links.js';
import { registerDatabaseQuery } from './database-query.js';

type Engine = 'POSTGRES' | 'REDIS' | 'SQLITE';
const engines = ['postgres', 'redis', 'sqlite'];
const toEngine = (engine: string) => engine.toUpperCase() as Engine;

interface CreateOptions extends JsonOption {
  engine: string;
  slug?: string;
  version?: string;
  storage?: string;
  wait: boolean;
}

function registerCreate(databases: Command, context: CommandContext): void {
  databases
    .command('create')
    .description('create a database and wait until it runs (SQLITE: at once)')
    .argument('<name>', "the database's name")
    .addOption(new Option('--engine <engine>', 'what it runs (required)').choices(engines).makeOptionMandatory())
    .option('--slug <slug>', 'its slug (default: from the name)')
    .option('--version <version>', "the engine's version (default: the newest this Berth runs)")
    .option('--storage <gb>', 'storage in GB (default: 10, SQLITE 1)')
    .option('--no-wait', 'return once it is created, while it still provisions')
    .option('--json', 'print the database as JSON')
    .action(async (name: string, options: CreateOptions) => {
      if (options.storage !== undefined && !/^\d+$/.test(options.storage)) throw new CliError(`--storage: not a whole number of GB: ${options.storage}`, exitCodes.usage);
      const connection = await context.connect();
      const { api, workspaceId: wsId } = connection;
      const created = await unwrap(
        api.POST('/api/v1/workspaces/{wsId}/databases', {
          params: { path: { wsId } },
          body: {
            name,
            slug: options.slug ?? slugOf(name),
            engine: toEngine(options.engine),
            ...(options.version !== undefined ? { version: options.version } : {}),
            ...(options.storage !== undefined ? { storageGb: Number(options.storage) } : {}),
          },
        }),
      );
      if (options.wait && created.status === 'PROVISIONING') note(`Provisioning ${created.slug} (${created.engine} ${created.version})…`);
      const database = options.wait ? await waitForDatabase(connection, created.id) : created;
      if (options.json) return printJson(database);
      process.stdout.write(`Created ${database.slug} (${database.id}): ${database.engine} ${database.version}, ${database.status}\n`);
      if (database.status === 'PROVISIONING') note(`It still provisions: berth databases info ${database.slug}`);
      return undefined;
    });
}

/** Which apps get the database, and as which env var. */
function printAttachedApps(slug: string, apps: Awaited<ReturnType<typeof attachedApps>>): void {
  if (apps.length === 0) {
    process.stdout.write(`\nAttached to no app (berth databases attach ${slug} <app>)\n`);
    return;
  }
  process.stdout.write(`\nAttached to ${apps.length} app${apps.length === 1 ? '' : 's'}:\n`);
  printTable(['APP', 'ENV VAR', 'MOUNT PATH'], apps.map((a) => [a.appSlug, a.attachment.secretName, a.attachment.mountPath]));
}

function registerInfo(databases: Command, context: CommandContext): void {
  databases
    .command('info')
    .description('a database: status, resources, how to connect (password hidden unless --show-password) and the apps attached')
    .argument('<db>', "the database's slug or id")
    .option('--show-password', 'print the password too')
    .option('--json', 'print as JSON')
    .action(async (dbRef: string, options: { showPassword?: boolean } & JsonOption) => {
      const link = await context.connect();
      const { api, workspaceId: wsId } = link;
      const path = { wsId, dbId: dbRef };
      const [database, status, apps] = await Promise.all([
        unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}', { params: { path } })),
        unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}/status', { params: { path } })),
        attachedApps(link, dbRef),
      ]);
      // Only a provisioned database has a connection (else the API answers 409).
      const full = database.status === 'RUNNING' ? await unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}/connection', { params: { path } })) : null;
      const connection = full && !options.showPassword ? hidePassword(full) : full;
      if (options.json) return printJson({ database, status, connection, attachments: apps.map((a) => a.attachment) });
      const r = database.resources;
      printFacts([
        ['Database', `${database.name} (${database.slug}, ${database.id})`],
        ['Engine', `${database.engine} ${database.version}`],
        ...statusFacts(status, new Date()),
        ['Resources', `${r.cpu} cpu, ${r.memory} memory, ${r.storageGb} GB storage${r.highAvailability ? ', high availability' : ''}`],
        ['URI', connection?.uri],
        ['Host', connection ? `${connection.host || '-'}${connection.port ? `:${connection.port}` : ''}` : null],
        ['Name', connection?.database],
        ['User', connection?.username || null],
        ['Password', connection?.password ? `${connection.password}${options.showPassword ? '' : ' (--show-password shows it)'}` : null],
        ['Created', database.createdAt],
      ]);
      return printAttachedApps(database.slug, apps);
    });
}

function registerDelete(databases: Command, context: CommandContext): void {
  databases
    .command('delete')
    .description('delete a database and all its data, for good (asks you to type its slug)')
    .argument('<db>', "the database's slug or id")
    .option('--yes', 'do not ask (needed without a terminal)')
    .action(async (dbRef: string, options: { yes?: boolean }) => {
      const { api, workspaceId: wsId } = await context.connect();
      const database = await unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}', { params: { path: { wsId, dbId: dbRef } } }));
      if (!options.yes) await confirmDelete(database.slug);
      await unwrap(api.DELETE('/api/v1/workspaces/{wsId}/databases/{dbId}', { params: { path: { wsId, dbId: database.id } } }));
      note(`Deleted ${database.slug} and all its data`);
    });
}

export function registerDatabases(program: Command, context: CommandContext): void {
  const databases = program
    .command('databases')
    .description("the workspace's managed databases (POSTGRES, REDIS, SQLITE), listed without a subcommand; create, info, attach, detach, query, delete")
    // `databases create … --json` belongs to create, not to this listing.
    .enablePositionalOptions()
    .addOption(new Option('--engine <engine>', 'only these').choices(engines))
    .option('--search <text>', 'only databases whose name or slug contains this')
    .option('--json', 'print the API answer as JSON')
    .action(async (options: { engine?: string; search?: string } & JsonOption) => {
      const { api, workspaceId: wsId } = await context.connect();
      const query = { ...(options.engine ? { engine: toEngine(options.engine) } : {}), ...(options.search ? { search: options.search } : {}) };
      const list = await unwrap(api.GET('/api/v1/workspaces/{wsId}/databases', { params: { path: { wsId }, query } }));
      if (options.json) return printJson(list);
      printTable(
        ['SLUG', 'NAME', 'ENGINE', 'VERSION', 'STATUS', 'STORAGE', 'WHY'],
        list.map((d) => [d.slug, d.name, d.engine, d.version, d.status, `${d.resources.storageGb} GB`, d.statusMessage]),
      );
      return undefined;
    });
  registerCreate(databases, context);
  registerInfo(databases, context);
  registerDatabaseLinks(databases, context);
  registerDatabaseQuery(databases, context);
  registerDelete(databases, context);
}
