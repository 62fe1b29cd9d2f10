// What every command receives: the CLI's settings and a way to connect to Berth (lazily, so
// `--help` and `login` never need a stored login).
import type { CliSettings } from '../config.js';
import type { Connection } from './api-client.js';

export interface CommandContext {
  settings: CliSettings;
  connect(): Promise<Connection>;
}

export interface JsonOption {
  json?: boolean;
}
