// The reserved ports the test helpers hand out: outside the kernel's ephemeral range, free when
// handed out, never the same for two test processes at once, and given back on release or exit.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { releasePort, reservePort } from './reserved-port.js';

const lockOf = (port: number) => path.join(os.tmpdir(), 'berth-test-ports', String(port));
const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);

describe('reservePort', () => {
  it('hands out distinct ports outside the ephemeral range, bindable, locked by this process until released', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => reservePort()));
    expect(new Set(ports).size).toBe(20);
    for (const port of ports) {
      expect(port < (low ?? 0) || port > (high ?? 0)).toBe(true);
      expect(fs.readFileSync(lockOf(port), 'utf8')).toBe(String(process.pid));
    }
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(ports[0], '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
    ports.forEach(releasePort);
    for (const port of ports) expect(fs.existsSync(lockOf(port))).toBe(false);
  });

  // 100 each from ~27,000 candidates: picks without the locks would overlap in about a third of runs.
  it('never gives another process a port this one holds, and frees them when that process exits', async () => {
    const mine = await Promise.all(Array.from({ length: 100 }, () => reservePort()));
    const script = "import { reservePort } from './test/support/reserved-port.ts'; const p = []; for (let i = 0; i < 100; i++) p.push(await reservePort()); console.log(JSON.stringify(p));";
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: path.resolve(import.meta.dirname, '..', '..'), encoding: 'utf8' });
    const theirs = JSON.parse(output) as number[];
    expect(theirs).toHaveLength(100);
    expect(theirs.filter((port) => mine.includes(port))).toEqual([]);
    for (const port of theirs) expect(fs.existsSync(lockOf(port))).toBe(false);
    mine.forEach(releasePort);
  });
});
