// The ACME issuer against a real CA (pebble) that is slow to sign: finalize answers the order
// `processing`, as a busy CA does, and the issuer must poll the order until the certificate is
// ready instead of failing with "Unable to verify status of item, URL not found" (which it did:
// the order it polled had lost its URL, so under load a first issuance failed and paged).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcmeIssuer } from '../../src/edge/tls/acme-issuer.js';
import { certificateNames, TlsFiles } from '../../src/edge/tls/tls-files.js';
import { hasPebble, startPebble, type Pebble } from '../support/pebble.js';
import { startSlowFinalizeProxy, type SlowFinalizeProxy } from '../support/slow-finalize-proxy.js';

const quiet = { info() {}, warn() {}, error() {} };

describe.skipIf(!hasPebble())('ACME issuer with a CA that is slow to sign', () => {
  let pebble: Pebble;
  let proxy: SlowFinalizeProxy;
  let answers: http.Server;
  const tokens = new Map<string, string>();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-acme-issuer-'));

  beforeAll(async () => {
    // Answers HTTP-01 as the edge would, from what the issuer put on the board.
    answers = http.createServer((req, res) => {
      const token = req.url?.split('/').pop() ?? '';
      const answer = tokens.get(token);
      res.writeHead(answer === undefined ? 404 : 200).end(answer);
    });
    // Bound before pebble learns the port, so nothing else can take it in between.
    await new Promise<void>((resolve) => answers.listen(0, '127.0.0.1', resolve));
    const httpPort = (answers.address() as AddressInfo).port;
    pebble = await startPebble({ httpPort });
    proxy = await startSlowFinalizeProxy(pebble.directoryUrl, pebble.caFile);
  }, 30_000);

  afterAll(async () => {
    await proxy?.stop();
    await pebble?.stop();
    answers?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the order to be signed and returns the certificate and its order', async () => {
    const files = new TlsFiles(dir);
    files.ensureDir();
    const issuer = new AcmeIssuer({ directoryUrl: proxy.directoryUrl, email: null, caPem: proxy.caPem }, files, quiet);
    const saved: string[] = [];
    const obtained = await issuer.obtain('slow.example.test', null, {
      saveOrder: (order) => saved.push(order.url),
      challenges: {
        async put(token, keyAuthorization) {
          tokens.set(token, keyAuthorization);
        },
        remove: (token) => tokens.delete(token),
      },
    });
    expect(proxy.rewritten()).toBe(1);
    expect(certificateNames(obtained.certPem)).toEqual(['slow.example.test']);
    expect(obtained.orderUrl).toBe(saved[0]);
    expect(tokens.size).toBe(0);
  }, 60_000);
});
