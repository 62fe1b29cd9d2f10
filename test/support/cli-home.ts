// A home of its own for `berth` runs against a test Berth: BERTH_URL and BERTH_API_KEY point at
// it (no login), and the config dir is the test's, removed by close().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBerth } from './berth-cli.js';
import type { CliOptions, CliResult } from './berth-cli.js';
import type { TestBerth } from './test-berth.js';

export interface CliHome {
  dir: string;
  env: Record<string, string>;
  berth(args: string[], options?: CliOptions): Promise<CliResult>;
  close(): void;
}

export function cliHome(t: () => TestBerth): CliHome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-home-'));
  const env = () => ({ HOME: dir, BERTH_CONFIG_DIR: path.join(dir, 'config'), BERTH_URL: t().url, BERTH_API_KEY: t().key });
  return {
    dir,
    get env() {
      return env();
    },
    berth: (args, options = {}) => runBerth(args, { ...options, env: { ...env(), ...options.env } }),
    close: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
