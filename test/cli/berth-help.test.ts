// What a new user reads first: the top-level help names every group's subcommands, `keys create
// --help` names the scopes a key can hold, and flags that only go with --git are refused without
// it (exit 2, before any request) instead of being silently ignored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scopes } from '../../src/domain/scopes.js';
import { runBerth } from '../support/berth-cli.js';

describe('berth help', { timeout: 120_000 }, () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-home-'));
  const berth = (args: string[]) => runBerth(args, { env: { HOME: home, BERTH_CONFIG_DIR: path.join(home, 'config') } });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it("the top-level help names each command group's subcommands", async () => {
    const groups = ['env', 'keys', 'databases', 'domains'];
    const [top, ...helps] = await Promise.all([berth(['--help']), ...groups.map((group) => berth([group, '--help']))]);
    groups.forEach((group, i) => {
      const listed = helps[i]?.stdout.split('Commands:\n')[1] ?? '';
      const subcommands = [...listed.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]).filter((name) => name !== 'help');
      expect(subcommands.length, group).toBeGreaterThan(1);
      const line = new RegExp(`^ {2}${group} .*$`, 'm').exec(top?.stdout ?? '')?.[0] ?? '';
      for (const sub of subcommands) expect(line, `${group} ${sub}`).toContain(sub!);
    });
  });

  it('keys create --help names every scope a key can hold', async () => {
    const help = await berth(['keys', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`Scopes: ${scopes.join(' ')}`);
  });

  it('--branch and --commit without --git are bad usage (2), not ignored', async () => {
    const [deploy, commit, create] = await Promise.all([berth(['deploy', '--branch', 'dev']), berth(['deploy', '--commit', 'abc123']), berth(['create', 'shop', '--branch', 'dev'])]);
    for (const result of [deploy, commit]) {
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe('berth: --branch and --commit pick what to deploy from git: add --git (without it, the folder is deployed)');
    }
    expect(create.code).toBe(2);
    expect(create.stderr.trim()).toBe('berth: --branch goes with --git <url>: the branch of that repository to deploy');
  });
});
