// An HTTPS proxy in front of pebble that answers every finalize with the order still
// `processing` (no certificate URL yet), as a real CA does while it is busy signing: the client
// must poll the order until it is `valid`. Pebble builds its URLs from the Host header, which
// the proxy passes through, so every URL the client sees (and signs) points at the proxy.
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeSelfSigned } from './self-signed.js';

export interface SlowFinalizeProxy {
  directoryUrl: string;
  /** The proxy's certificate and pebble's listener certificate, for the client to trust. */
  caPem: string;
  /** Finalize answers rewritten to `processing` so far. */
  rewritten(): number;
  stop(): Promise<void>;
}

export async function startSlowFinalizeProxy(pebbleDirectoryUrl: string, pebbleCaFile: string): Promise<SlowFinalizeProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-acme-proxy-'));
  const { certFile, keyFile } = makeSelfSigned(dir, 'proxy', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  const pebbleCa = fs.readFileSync(pebbleCaFile, 'utf8');
  const upstream = new URL(pebbleDirectoryUrl);
  let rewrites = 0;
  const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, (req, res) => {
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => {
      const forwarded = https.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, ca: pebbleCa },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            let payload = Buffer.concat(parts);
            if (req.url?.startsWith('/finalize-order/') && answer.statusCode === 200) {
              const order = JSON.parse(payload.toString()) as Record<string, unknown>;
              order.status = 'processing';
              delete order.certificate;
              payload = Buffer.from(JSON.stringify(order));
              rewrites++;
            }
            const headers = { ...answer.headers, 'content-length': String(payload.length) };
            delete headers['transfer-encoding'];
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(payload);
          });
        },
      );
      forwarded.on('error', () => res.writeHead(502).end());
      forwarded.end(Buffer.concat(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    directoryUrl: `https://127.0.0.1:${port}${upstream.pathname}`,
    caPem: `${fs.readFileSync(certFile, 'utf8')}${pebbleCa}`,
    rewritten: () => rewrites,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
