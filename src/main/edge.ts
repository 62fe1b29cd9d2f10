// The edge's part of the composition root: its settings and certificates from the config, the
// scheme and port of app URLs, and how an edge worker process is started.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Clock } from '../core/ports/clock.js';
import type { Store } from '../core/ports/store.js';
import type { EdgeOptions, WorkerProcess } from '../edge/create-edge.js';
import { edgeWorkerCommand } from '../edge/workers/worker-entry.js';
import { spawnChild } from '../engine/spawn.js';

/** Starts one edge worker process (the edge shares its listening sockets with N of them). */
export function launchEdgeWorker(env: Record<string, string> = {}): WorkerProcess {
  const command = edgeWorkerCommand();
  return spawnChild(command.argv, {
    env,
    cwd: command.cwd,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: false,
    serialization: 'advanced',
  }) as unknown as WorkerProcess;
}

type EdgeSettings = Pick<
  EdgeOptions,
  | 'baseDomain'
  | 'drainTimeoutMs'
  | 'proto'
  | 'workers'
  | 'tlsHandshakeTimeoutMs'
  | 'tunnelIdleTimeoutMs'
  | 'tunnelHalfOpenMs'
  | 'h2IdleTimeoutMs'
>;

/** The edge's settings from the config, the same whether Berth's process or its edge workers serve traffic. */
export function edgeSettings(config: Readonly<Config>): EdgeSettings {
  return {
    baseDomain: config.baseDomain,
    drainTimeoutMs: config.drainTimeoutMs,
    proto: config.edge.publicUrl?.scheme ?? 'http',
    workers: config.edge.workers,
    tlsHandshakeTimeoutMs: config.edge.tlsHandshakeTimeoutMs,
    tunnelIdleTimeoutMs: config.edge.tunnelIdleTimeoutMs,
    tunnelHalfOpenMs: config.edge.tunnelHalfOpenMs,
    h2IdleTimeoutMs: config.edge.h2IdleTimeoutMs,
  };
}

/** The edge's certificates: the operator's files and ACME, kept in `{dataDir}/tls`; none without a TLS port. */
export function edgeCertificates(config: Readonly<Config>, store: Store, clock: Clock): EdgeOptions['certificates'] {
  const edge = config.edge;
  if (edge.tlsPort === null) return undefined;
  const read = (file: string) => fs.readFileSync(file, 'utf8');
  return {
    dir: path.join(config.dataDir, 'tls'),
    acme:
      edge.acme === null
        ? null
        : {
            directoryUrl: edge.acme.directoryUrl,
            email: edge.acme.email,
            caPem: edge.acme.caFile === null ? null : read(edge.acme.caFile),
            retryBaseMs: edge.acme.retryMs,
          },
    operator: edge.certFile !== null && edge.keyFile !== null ? { certPem: read(edge.certFile), keyPem: read(edge.keyFile) } : null,
    onStatus: (hostname, tls) => store.domains.setTls(hostname, tls),
    now: () => clock.now(),
  };
}

/** Scheme and port of app URLs: a public edge URL's, else https on 443 when the edge serves TLS there. */
export function appOrigin(config: Readonly<Config>, edgePort: number, tlsPort: number | null): { scheme: 'http' | 'https'; port: number } {
  if (config.edge.publicUrl !== null) return config.edge.publicUrl;
  if (tlsPort === 443) return { scheme: 'https', port: 443 };
  return { scheme: 'http', port: edgePort };
}
