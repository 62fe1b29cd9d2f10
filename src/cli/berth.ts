// The `berth` command (the package's bin): `berth start` runs Berth; every other command is a
// client of a Berth's public HTTP API (apps, deploy, logs, env, traffic, …). Exit codes: exit-codes.ts.
import { Command, CommanderError } from 'commander';
import { ConfigError, loadCliSettings } from '../config.js';
import { registerApps } from './commands/apps.js';
import { registerDatabases } from './commands/databases.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDomains } from './commands/domains.js';
import { registerEnv } from './commands/env.js';
import { registerKeys } from './commands/keys.js';
import { registerLogin } from './commands/login.js';
import { registerLogs } from './commands/logs.js';
import { registerOpen } from './commands/open.js';
import { registerDeploys } from './commands/deploys.js';
import { registerRestart } from './commands/restart.js';
import { registerRollback } from './commands/rollback.js';
import { registerScale } from './commands/scale.js';
import { registerStart } from './commands/start.js';
import { registerStatus } from './commands/status.js';
import { registerTraffic } from './commands/traffic.js';
import { connect } from './connection.js';
import type { CommandContext } from './context.js';
import { CliError, exitCodes } from './exit-codes.js';

function buildProgram(context: CommandContext): Command {
  const program = new Command('berth')
    .description('Berth: run it (`berth start`) or drive one from your terminal (login, create, deploy, logs, domains, databases, …)')
    .version('0.1.0')
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 the operation failed (e.g. a failed deployment), 2 bad usage, 3 not logged in or key refused,\n4 not found, 5 refused by the API (other 4xx), 6 Berth unreachable or 5xx.\nBERTH_URL and BERTH_API_KEY override the stored login.',
    );
  registerStart(program);
  registerLogin(program, context);
  registerApps(program, context);
  registerDeploy(program, context);
  registerLogs(program, context);
  registerStatus(program, context);
  registerEnv(program, context);
  registerScale(program, context);
  registerTraffic(program, context);
  registerDeploys(program, context);
  registerRollback(program, context);
  registerRestart(program, context);
  registerOpen(program, context);
  registerDomains(program, context);
  registerDatabases(program, context);
  registerKeys(program, context);
  return program;
}

/** `berth apps | head -3`: a reader that has gone away ends the command quietly, as `git log | head` does. */
function endQuietlyWhenOutputCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok);
  });
}

async function main(argv: string[]): Promise<number> {
  // `start` logs to stdout for as long as it runs; a closed log pipe is not a reason to stop serving apps.
  if (argv[0] !== 'start') endQuietlyWhenOutputCloses();
  let settings;
  try {
    settings = loadCliSettings();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`invalid environment: ${error.message}`, exitCodes.usage);
    throw error;
  }
  const program = buildProgram({ settings, connect: () => connect(settings) });
  if (argv.length === 0) {
    program.outputHelp();
    return exitCodes.usage;
  }
  await program.parseAsync(argv, { from: 'user' });
  return exitCodes.ok;
}

main(process.argv.slice(2)).then(
  (code) => {
    // `start` keeps running; everything else has finished.
    if (code !== exitCodes.ok) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
      return;
    }
    if (error instanceof CliError) {
      console.error(`berth: ${error.message}`);
      process.exitCode = error.exitCode;
      return;
    }
    console.error(`berth: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = exitCodes.failed;
  },
);
