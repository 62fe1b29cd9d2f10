// A real ACME CA for tests: Debian's pebble and its challenge test server (the DNS pebble asks,
// answering 127.0.0.1 for every name unless told otherwise), started on loopback on reserved
// ports (they bind them a moment later) with their own config and data, and stopped by the test.
// apt-get install pebble.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { request as httpRequest } from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { releasePort, reservePort } from './reserved-port.js';
import { makeSelfSigned } from './self-signed.js';

export interface Pebble {
  directoryUrl: string;
  /** The CA file Berth must trust to talk to pebble's ACME API (BERTH_ACME_CA_FILE). */
  caFile: string;
  /** PEM of the root that signs the certificates pebble issues (new on every start). */
  issuingRoot(): Promise<string>;
  /** `Valid` or `Revoked`. */
  certStatus(serialHex: string): Promise<string>;
  /** Points `hostname` at `address` in pebble's DNS (127.0.0.1 for every name by default). */
  setAddress(hostname: string, address: string): Promise<void>;
  clearAddress(hostname: string): Promise<void>;
  stop(): Promise<void>;
}

export function hasPebble(): boolean {
  return (
    spawnSync('sh', ['-c', 'command -v pebble && command -v pebble-challtestsrv'], { stdio: 'ignore' }).status === 0
  );
}

function request(
  url: string,
  options: { ca?: string; method?: string; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? https.request : httpRequest;
    const req = send(
      url,
      {
        method: options.method ?? 'GET',
        ca: options.ca,
        headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function waitUntil(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`${what} did not come up in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface PebbleOptions {
  /** The port pebble validates HTTP-01 on: the edge's plain port. */
  httpPort: number;
  /** Lifetime of issued certificates (pebble's default is five years). */
  validitySeconds?: number;
  /** Extra PEBBLE_* settings (e.g. PEBBLE_VA_SLEEPTIME). */
  env?: Record<string, string>;
}

export async function startPebble(options: PebbleOptions): Promise<Pebble> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-pebble-'));
  const { certFile, keyFile } = makeSelfSigned(dir, 'listener', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  const ports: [number, number, number, number] = [await reservePort(), await reservePort(), await reservePort(), await reservePort()];
  const [acmePort, managementPort, dnsPort, challengeManagementPort] = ports;
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${acmePort}`,
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: certFile,
      privateKey: keyFile,
      httpPort: options.httpPort,
      tlsPort: 5001,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
      ...(options.validitySeconds === undefined ? {} : { certificateValidityPeriod: options.validitySeconds }),
    },
  };
  fs.writeFileSync(path.join(dir, 'pebble.json'), JSON.stringify(config));
  const children: ChildProcess[] = [];
  const dns = spawn(
    'pebble-challtestsrv',
    [
      '-defaultIPv4',
      '127.0.0.1',
      '-defaultIPv6',
      '',
      '-dns01',
      `127.0.0.1:${dnsPort}`,
      '-http01',
      '',
      '-https01',
      '',
      '-tlsalpn01',
      '',
      '-management',
      `127.0.0.1:${challengeManagementPort}`,
    ],
    { stdio: 'ignore' },
  );
  children.push(dns);
  const pebble = spawn('pebble', ['-config', path.join(dir, 'pebble.json'), '-dnsserver', `127.0.0.1:${dnsPort}`], {
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PEBBLE_VA_NOSLEEP: '1', ...options.env },
  });
  children.push(pebble);
  const ca = fs.readFileSync(certFile, 'utf8');
  const directoryUrl = `https://127.0.0.1:${acmePort}/dir`;
  const management = `https://127.0.0.1:${managementPort}`;
  const challenges = `http://127.0.0.1:${challengeManagementPort}`;
  const stop = async (): Promise<void> => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)),
    );
    fs.rmSync(dir, { recursive: true, force: true });
    ports.forEach(releasePort);
  };
  try {
    await waitUntil(async () => (await request(directoryUrl, { ca })).status === 200, 10_000, 'pebble');
    await waitUntil(
      async () =>
        (await request(`${challenges}/clear-a`, { method: 'POST', body: '{"host":"ready.test."}' })).status === 200,
      10_000,
      'pebble-challtestsrv',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    directoryUrl,
    caFile: certFile,
    async issuingRoot() {
      return (await request(`${management}/roots/0`, { ca })).body;
    },
    async certStatus(serialHex) {
      const serial = serialHex.toLowerCase().replace(/^0+/, '');
      const answer = await request(`${management}/cert-status-by-serial/${serial}`, { ca });
      return (JSON.parse(answer.body) as { Status: string }).Status;
    },
    async setAddress(hostname, address) {
      await request(`${challenges}/add-a`, {
        method: 'POST',
        body: JSON.stringify({ host: `${hostname}.`, addresses: [address] }),
      });
    },
    async clearAddress(hostname) {
      await request(`${challenges}/clear-a`, { method: 'POST', body: JSON.stringify({ host: `${hostname}.` }) });
    },
    stop,
  };
}
