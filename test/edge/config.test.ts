// The edge's settings (issue 16): workers, the TLS listener, ACME, how clients reach the edge,
// and the timeouts of TLS handshakes, WebSocket tunnels and idle HTTP/2 connections, which reach
// every edge worker too.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, letsEncryptProduction, loadConfig } from '../../src/config.js';
import { workerSettings } from '../../src/edge/create-edge.js';
import { edgeSettings } from '../../src/main.js';
import { memoryLogger } from './helpers.js';

describe('edge configuration', () => {
  it('serves in Berth’s process, without TLS, with ACME at Let’s Encrypt production by default', () => {
    expect(loadConfig({}, '/srv').edge).toEqual({
      workers: 0,
      tlsPort: null,
      publicUrl: null,
      certFile: null,
      keyFile: null,
      acme: { directoryUrl: letsEncryptProduction, email: null, caFile: null, retryMs: 600_000 },
      tlsHandshakeTimeoutMs: 10_000,
      tunnelIdleTimeoutMs: 60_000,
      tunnelHalfOpenMs: 5_000,
      h2IdleTimeoutMs: 120_000,
    });
  });

  it('reads workers (auto: one per core), TLS, the operator certificate and ACME', () => {
    const edge = loadConfig(
      {
        BERTH_EDGE_WORKERS: 'auto',
        BERTH_EDGE_TLS_PORT: '443',
        BERTH_EDGE_PUBLIC_URL: 'https://apps.example.com:8443',
        BERTH_TLS_CERT_FILE: 'tls/wild.pem',
        BERTH_TLS_KEY_FILE: '/etc/berth/wild.key',
        BERTH_ACME_DIRECTORY_URL: 'https://acme-staging-v02.api.letsencrypt.org/directory',
        BERTH_ACME_EMAIL: 'ops@example.com',
        BERTH_ACME_CA_FILE: '/etc/berth/ca.pem',
        BERTH_ACME_RETRY_MS: '5000',
        BERTH_EDGE_TLS_HANDSHAKE_TIMEOUT_MS: '3000',
        BERTH_EDGE_TUNNEL_IDLE_TIMEOUT_MS: '120000',
        BERTH_EDGE_TUNNEL_HALF_OPEN_MS: '2000',
        BERTH_EDGE_H2_IDLE_TIMEOUT_MS: '30000',
      },
      '/srv',
    ).edge;
    expect(edge).toEqual({
      workers: availableParallelism(),
      tlsPort: 443,
      publicUrl: { scheme: 'https', port: 8443 },
      certFile: '/srv/tls/wild.pem',
      keyFile: '/etc/berth/wild.key',
      acme: {
        directoryUrl: 'https://acme-staging-v02.api.letsencrypt.org/directory',
        email: 'ops@example.com',
        caFile: '/etc/berth/ca.pem',
        retryMs: 5000,
      },
      tlsHandshakeTimeoutMs: 3000,
      tunnelIdleTimeoutMs: 120_000,
      tunnelHalfOpenMs: 2000,
      h2IdleTimeoutMs: 30_000,
    });
    expect(loadConfig({ BERTH_EDGE_WORKERS: '3', BERTH_ACME_DIRECTORY_URL: 'off' }).edge).toMatchObject({ workers: 3, acme: null });
  });

  it.each([
    ['BERTH_EDGE_WORKERS', '-1'],
    ['BERTH_EDGE_WORKERS', 'many'],
    ['BERTH_EDGE_TLS_PORT', '70000'],
    ['BERTH_EDGE_PUBLIC_URL', 'ftp://apps.example.com'],
    ['BERTH_ACME_DIRECTORY_URL', 'not a url'],
    ['BERTH_ACME_EMAIL', 'nobody'],
    ['BERTH_TLS_CERT_FILE', '/only/the/cert.pem'],
    ['BERTH_EDGE_TLS_HANDSHAKE_TIMEOUT_MS', 'soon'],
    ['BERTH_EDGE_TLS_HANDSHAKE_TIMEOUT_MS', '0'],
    ['BERTH_EDGE_TLS_HANDSHAKE_TIMEOUT_MS', '7200000'],
    ['BERTH_EDGE_TUNNEL_IDLE_TIMEOUT_MS', '1m'],
    ['BERTH_EDGE_TUNNEL_IDLE_TIMEOUT_MS', '0'],
    ['BERTH_EDGE_TUNNEL_HALF_OPEN_MS', '-5'],
    ['BERTH_EDGE_TUNNEL_HALF_OPEN_MS', '0'],
    ['BERTH_EDGE_H2_IDLE_TIMEOUT_MS', '2m'],
    ['BERTH_EDGE_H2_IDLE_TIMEOUT_MS', '50'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('hands the edge, and through it every edge worker, the timeouts it reads', () => {
    const timeouts = { tlsHandshakeTimeoutMs: 2500, tunnelIdleTimeoutMs: 45_000, tunnelHalfOpenMs: 1500, h2IdleTimeoutMs: 90_000 };
    const settings = edgeSettings(
      loadConfig({
        BERTH_EDGE_WORKERS: '2',
        BERTH_EDGE_TLS_HANDSHAKE_TIMEOUT_MS: '2500',
        BERTH_EDGE_TUNNEL_IDLE_TIMEOUT_MS: '45000',
        BERTH_EDGE_TUNNEL_HALF_OPEN_MS: '1500',
        BERTH_EDGE_H2_IDLE_TIMEOUT_MS: '90000',
      }),
    );
    expect(settings).toMatchObject({ workers: 2, ...timeouts });
    const toWorkers = workerSettings({ ...settings, resolveKey: async () => null, logger: memoryLogger() });
    expect(toWorkers).toMatchObject(timeouts);
    // What a worker gets travels by structured clone: no functions.
    expect(structuredClone(toWorkers)).toEqual(toWorkers);
  });
});
