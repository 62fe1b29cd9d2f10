// `berth domains [list] <app>` and `domains add|verify|remove <app> <hostname>`: an app's custom domains,
// named by hostname as people know them (the API wants the domain's id), with the DNS records to create.
import type { Command } from 'commander';
import { unwrap } from '../api-client.js';
import type { Connection } from '../api-client.js';
import type { CommandContext, JsonOption } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { note, printJson, printTable } from '../output.js';

interface DomainLike {
  domain: string;
  verified: boolean;
  tlsStatus: string;
  tlsError: string | null;
  tlsExpiresAt: string | null;
  dnsRecords: { type: string; name: string; value: string }[];
}

/** `active (expires 2027-01-31)`, `failed: why`: the certificate's state with what explains it. */
export function tlsFact(domain: Pick<DomainLike, 'tlsStatus' | 'tlsError' | 'tlsExpiresAt'>): string {
  const expires = domain.tlsStatus === 'active' && domain.tlsExpiresAt ? ` (expires ${domain.tlsExpiresAt.slice(0, 10)})` : '';
  return `${domain.tlsStatus}${expires}${domain.tlsError ? `: ${domain.tlsError}` : ''}`;
}

function printRecords(domains: DomainLike[]): void {
  printTable(
    ['TYPE', 'NAME', 'VALUE'],
    domains.flatMap((d) => d.dnsRecords.map((r) => [r.type, r.name, r.value])),
  );
}

/** The hostname as the API stores it (lower case, no trailing dot), so `API.Example.com.` finds it too. */
const normalised = (hostname: string) => hostname.trim().toLowerCase().replace(/\.$/, '');

async function findDomain(connection: Connection, appRef: string, hostname: string) {
  const { api, workspaceId: wsId } = connection;
  const domains = await unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/domains', { params: { path: { wsId, appId: appRef } } }));
  const found = domains.find((d) => d.domain === normalised(hostname) || d.id === hostname);
  if (!found) throw new CliError(`${appRef} has no domain ${hostname} (berth domains list ${appRef} lists them)`, exitCodes.notFound);
  return found;
}

/** The app's domains with TLS, then the DNS records to create. */
async function listDomains(context: CommandContext, appRef: string, options: JsonOption): Promise<void> {
  const { api, workspaceId: wsId } = await context.connect();
  const list = await unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/domains', { params: { path: { wsId, appId: appRef } } }));
  if (options.json) return printJson(list);
  if (list.length === 0) return note(`${appRef} has no custom domain (berth domains add ${appRef} <hostname>)`);
  printTable(['HOSTNAME', 'VERIFIED', 'TLS'], list.map((d) => [d.domain, d.verified ? 'yes' : 'no', tlsFact(d)]));
  process.stdout.write('\nDNS records to create at your DNS provider:\n');
  return printRecords(list);
}

export function registerDomains(program: Command, context: CommandContext): void {
  const domains = program
    .command('domains')
    .description("an app's custom domains, with TLS and the DNS records to create; list, add, verify, remove")
    .argument('<app>', "the app's id or slug (lists its domains, as `domains list <app>` does)")
    // `domains add … --json` belongs to add, not to this listing.
    .enablePositionalOptions()
    .option('--json', 'print the API answer as JSON')
    .addHelpText('after', '\nAn app named list, add, verify or remove is taken for the subcommand here: `berth domains list <app>` lists any app\'s domains.')
    .action((appRef: string, options: JsonOption) => listDomains(context, appRef, options));

  domains
    .command('list')
    .description("list an app's domains (works for any app name, even `add`)")
    .argument('<app>', "the app's id or slug")
    .option('--json', 'print the API answer as JSON')
    .action((appRef: string, options: JsonOption) => listDomains(context, appRef, options));

  domains
    .command('add')
    .description('add a custom domain; prints the DNS records to create')
    .argument('<app>', "the app's id or slug")
    .argument('<hostname>', 'e.g. api.example.com')
    .option('--port <port>', "the port to route to (default: the app's)")
    .option('--json', 'print the added domain as JSON')
    .action(async (appRef: string, hostname: string, options: { port?: string } & JsonOption) => {
      if (options.port !== undefined && !/^\d+$/.test(options.port)) throw new CliError(`--port: not a whole number: ${options.port}`, exitCodes.usage);
      const { api, workspaceId: wsId } = await context.connect();
      const added = await unwrap(
        api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/domains', {
          params: { path: { wsId, appId: appRef } },
          body: { domain: hostname, ...(options.port !== undefined ? { targetPort: Number(options.port) } : {}) },
        }),
      );
      if (options.json) return printJson(added);
      note(`Added ${added.domain} to ${appRef}. Create these records at your DNS provider, then run: berth domains verify ${appRef} ${added.domain}`);
      printRecords([added]);
      return undefined;
    });

  domains
    .command('verify')
    .description('check DNS now; exits 1 while the records are not there yet')
    .argument('<app>', "the app's id or slug")
    .argument('<hostname>', 'the domain')
    .option('--json', 'print the domain as JSON')
    .action(async (appRef: string, hostname: string, options: JsonOption) => {
      const connection = await context.connect();
      const { api, workspaceId: wsId } = connection;
      const domain = await findDomain(connection, appRef, hostname);
      const checked = await unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/domains/{domainId}/verify', { params: { path: { wsId, appId: appRef, domainId: domain.id } } }));
      if (options.json) printJson(checked);
      if (!checked.verified) {
        if (!options.json) {
          note(`DNS does not show these records for ${checked.domain} yet (changes can take a while to spread):`);
          printRecords([checked]);
        }
        throw new CliError(`${checked.domain} is not verified yet`, exitCodes.failed);
      }
      if (!options.json) process.stdout.write(`${checked.domain} is verified; TLS: ${tlsFact(checked)}\n`);
    });

  domains
    .command('remove')
    .description('remove a custom domain (and its certificate)')
    .argument('<app>', "the app's id or slug")
    .argument('<hostname>', 'the domain')
    .action(async (appRef: string, hostname: string) => {
      const connection = await context.connect();
      const { api, workspaceId: wsId } = connection;
      const domain = await findDomain(connection, appRef, hostname);
      await unwrap(api.DELETE('/api/v1/workspaces/{wsId}/apps/{appId}/domains/{domainId}', { params: { path: { wsId, appId: appRef, domainId: domain.id } } }));
      note(`Removed ${domain.domain} from ${appRef}`);
    });
}
