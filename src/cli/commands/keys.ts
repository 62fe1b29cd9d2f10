// `berth keys`: the workspace's API keys; `keys create` (the key is printed once), `keys revoke`.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { note, printJson, printTable } from '../output.js';
import { scopes as keyScopes, type Scope } from '../../domain/scopes.js';

export function registerKeys(program: Command, context: CommandContext): void {
  const keys = program
    .command('keys')
    .description("the workspace's API keys (listed without a subcommand); create, revoke")
    // `keys create … --json` belongs to create, not to this listing.
    .enablePositionalOptions()
    .option('--json', 'print as JSON')
    .action(async (options: JsonOption) => {
      const { api, workspaceId: wsId } = await context.connect();
      const list = await unwrap(api.GET('/api/v1/workspaces/{wsId}/api-keys', { params: { path: { wsId } } }));
      if (options.json) return printJson(list);
      printTable(['ID', 'NAME', 'PREFIX', 'SCOPES', 'LAST USED', 'EXPIRES'], list.map((k) => [k.id, k.name, k.keyPrefix, k.scopes.join(','), k.lastUsedAt, k.expiresAt]));
      return undefined;
    });

  keys
    .command('create')
    .description('create a key (printed once)')
    .argument('<name>', 'what the key is for')
    .requiredOption('--scopes <scopes>', 'what the key may do, comma-separated, e.g. apps:read,deploy:write (required; all scopes below)')
    .addHelpText('after', `\nScopes: ${keyScopes.join(' ')}`)
    .option('--expires <date>', 'ISO date after which the key stops working')
    .option('--json', 'print as JSON')
    .action(async (name: string, options: { scopes: string; expires?: string } & JsonOption) => {
      const { api, workspaceId: wsId } = await context.connect();
      const scopes = options.scopes.split(',').map((s) => s.trim()).filter(Boolean) as Scope[];
      const created = await unwrap(api.POST('/api/v1/workspaces/{wsId}/api-keys', { params: { path: { wsId } }, body: { name, scopes, ...(options.expires ? { expiresAt: options.expires } : {}) } }));
      if (options.json) return printJson(created);
      note(`Created key ${created.id} (${created.scopes.join(',')}); it is shown only now:`);
      process.stdout.write(`${created.key}\n`);
      return undefined;
    });

  keys
    .command('revoke')
    .description('delete a key: it stops working at once')
    .argument('<keyId>', 'the key id')
    .action(async (keyId: string) => {
      const { api, workspaceId: wsId } = await context.connect();
      await unwrap(api.DELETE('/api/v1/workspaces/{wsId}/api-keys/{keyId}', { params: { path: { wsId, keyId } } }));
      note(`Revoked ${keyId}`);
    });
}
