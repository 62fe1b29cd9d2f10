import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('telemetry configuration', () => {
  it('has defaults that need nothing outside Berth', () => {
    expect(loadConfig({}).telemetry).toMatchObject({
      logRetentionDays: 7,
      logMaxBytesPerApp: 256 * 1024 * 1024,
      metricsIntervalMs: 10_000,
      healthIntervalMs: 30_000,
      prometheusUrl: null,
      alertWebhookUrl: null,
      priceVcpuHour: 0.0405,
      priceGibHour: 0.0045,
      alerts: { cpuPercent: 80, memoryPercent: 80, sustainMs: 300_000, errorRatePercent: 5, latencyP95Ms: 2000, windowMs: 300_000, minRequests: 20 },
    });
  });

  it('reads the variables', () => {
    const t = loadConfig({ BERTH_LOG_RETENTION_DAYS: '30', BERTH_PROMETHEUS_URL: 'http://127.0.0.1:9090/', BERTH_PRICE_VCPU_HOUR: '0.05', BERTH_ALERT_WEBHOOK_URL: 'https://hooks.example.com/x' }).telemetry;
    expect(t).toMatchObject({ logRetentionDays: 30, prometheusUrl: 'http://127.0.0.1:9090', priceVcpuHour: 0.05, alertWebhookUrl: 'https://hooks.example.com/x' });
  });

  it.each([
    ['BERTH_LOG_RETENTION_DAYS', '0'],
    ['BERTH_LOG_RETENTION_DAYS', 'a week'],
    ['BERTH_PROMETHEUS_URL', 'ftp://x'],
    ['BERTH_ALERT_WEBHOOK_URL', 'not a url'],
    ['BERTH_PRICE_GIB_HOUR', '-1'],
    ['BERTH_ALERT_ERROR_RATE_PERCENT', '101'],
    ['BERTH_METRICS_INTERVAL_MS', '10s'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
