// The `berth` command: `berth start` (what `npm start` runs) reads the configuration, starts
// Berth and stops it cleanly on SIGINT/SIGTERM. A bad setting exits with code 2 and one line.
import { ConfigError, loadConfig } from '../config.js';
import { startBerth } from '../main.js';

async function start(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`berth: invalid configuration: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const berth = await startBerth(config);
  if (berth.bootstrap?.plainKey) {
    console.log(`berth: created workspace ${berth.bootstrap.workspaceId} and its admin API key (shown once):`);
    console.log(`  ${berth.bootstrap.plainKey}`);
    console.log(`berth: the key is also in ${berth.bootstrap.keyFile} (mode 0600)`);
  }
  console.log(`berth: API and docs on ${berth.apiUrl} (store: ${berth.backend})`);
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

const command = process.argv[2] ?? 'start';
if (command === 'start') {
  start().catch((error: unknown) => {
    console.error(`berth: failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
} else {
  console.error(`berth: unknown command "${command}". Usage: berth start`);
  process.exit(2);
}
