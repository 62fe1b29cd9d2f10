// `berth login [url]`, `berth logout`, `berth whoami`: the stored URL and key (mode 0600).
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { whoami } from '../connection.js';
import type { CommandContext, JsonOption } from '../context.js';
import { CliError, exitCodes } from '../exit-codes.js';
import { readLogin, removeLogin, writeLogin } from '../login-store.js';
import { note, printFacts, printJson } from '../output.js';

async function readKey(): Promise<string> {
  if (process.stdin.isTTY) {
    const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    try {
      return (await prompt.question('API key (dor_sk_…): ')).trim();
    } finally {
      prompt.close();
    }
  }
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.trim();
}

function normalUrl(raw: string): string {
  try {
    const url = new URL(/^https?:\/\//.test(raw) ? raw : `http://${raw}`);
    return url.origin;
  } catch {
    throw new CliError(`not a URL: ${raw}`, exitCodes.usage);
  }
}

export function registerLogin(program: Command, context: CommandContext): void {
  program
    .command('login')
    .description('check an API key against a Berth and store both in your config dir (mode 0600)')
    .argument('[url]', 'the Berth to use', 'http://127.0.0.1:7070')
    .option('--key <key>', 'the API key (default: BERTH_API_KEY, else read from stdin or asked)')
    .option('--json', 'print the result as JSON')
    .action(async (rawUrl: string, options: { key?: string } & JsonOption) => {
      const url = normalUrl(rawUrl);
      const key = options.key ?? context.settings.apiKey ?? (await readKey());
      if (!key) throw new CliError('no API key given', exitCodes.usage);
      const who = await whoami(url, key);
      const file = writeLogin(context.settings.configDir, { url, key, workspaceId: who.workspaceId });
      if (options.json) return printJson({ url, workspaceId: who.workspaceId, workspace: who.workspace, scopes: who.scopes, configFile: file });
      note(`Logged in to ${url}, workspace ${who.workspace.name} (${who.workspaceId}); saved in ${file}`);
      return undefined;
    });

  program
    .command('logout')
    .description('forget the stored URL and key')
    .action(() => note(removeLogin(context.settings.configDir) ? 'Logged out.' : 'Not logged in.'));

  program
    .command('whoami')
    .description('the Berth, workspace and scopes of the key in use')
    .option('--json', 'print as JSON')
    .action(async (options: JsonOption) => {
      const connection = await context.connect();
      const who = await whoami(connection.url, connection.key);
      if (options.json) return printJson({ url: connection.url, ...who });
      printFacts([
        ['Berth', connection.url],
        ['Workspace', `${who.workspace.name} (${who.workspaceId})`],
        ['Key', who.keyId],
        ['Scopes', who.scopes.join(' ')],
        ['Stored login', readLogin(context.settings.configDir) ? 'yes' : 'no'],
      ]);
      return undefined;
    });
}
