// `berth start` (what `npm start` runs): reads the configuration, starts Berth and stops it
// cleanly on SIGINT/SIGTERM. A bad setting exits with code 2 and one line.
// Berth itself is imported only here, when it starts, so client commands load in a blink.
import type { Command } from 'commander';
import { CliError, exitCodes } from '../exit-codes.js';

async function start(): Promise<void> {
  const { ConfigError, loadConfig } = await import('../../config.js');
  const { startBerth } = await import('../../main.js');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`invalid configuration: ${error.message}`, exitCodes.usage);
    throw error;
  }
  let berth;
  try {
    berth = await startBerth(config);
  } catch (error) {
    throw new CliError(`failed to start: ${error instanceof Error ? error.message : String(error)}`, exitCodes.failed);
  }
  if (berth.bootstrap?.plainKey) {
    console.log(`berth: created workspace ${berth.bootstrap.workspaceId} and its admin API key (shown once):`);
    console.log(`  ${berth.bootstrap.plainKey}`);
    console.log(`berth: the key is also in ${berth.bootstrap.keyFile} (mode 0600)`);
  }
  console.log(`berth: API and docs on ${berth.apiUrl} (store: ${berth.backend})`);
  console.log(`berth: web console on ${berth.apiUrl}/`);
  const tls = berth.edgeTlsPort === null ? '' : `, HTTPS on port ${berth.edgeTlsPort}`;
  console.log(`berth: edge on port ${berth.edgePort}${tls}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`berth: ${signal} received, stopping`);
    berth.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('berth: error while stopping', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run Berth here: the API, the web console, the edge and the engine (configured by BERTH_* variables)')
    .action(start);
}
