import { describe, expect, it } from 'vitest';
import { hidePassword } from '../databases/hide-password.js';
import { cellText } from './database-query.js';
import { deploymentLine, tookWords } from './deploys.js';
import { tlsFact } from './domains.js';
import { createdLine, healthFact, lastRunFact, nextRunFact, scheduleFact, shownUrl } from '../../domain/app-kind-facts.js';
import { crashWhy, runtimeFact, standbyFact } from './status.js';

describe('berth status: health', () => {
  it('says what the error rate is of, so 75 % of 4 requests does not read as a verdict', () => {
    expect(healthFact('web', { status: 'healthy', errorRate: 75, avgLatencyMs: 9.4, requestCount: 4 })).toBe('healthy, error rate 75.0 % of 4 recent requests, latency 9 ms');
    expect(healthFact('web', { status: 'healthy', errorRate: 0, avgLatencyMs: 0, requestCount: 0 })).toBe('healthy, no recent requests');
    expect(healthFact('web', { status: 'degraded', errorRate: 6.25, avgLatencyMs: 12, requestCount: 1 })).toBe('degraded, error rate 6.3 % of 1 recent request, latency 12 ms');
    const unknown = { status: 'unknown', errorRate: 0, avgLatencyMs: 0, requestCount: 0 };
    expect(healthFact('web', unknown)).toBe('unknown (no figures yet: Berth samples its apps every few seconds)');
    expect(healthFact('web', unknown, { serving: false, replicas: 1 })).toBe('unknown (no revision serves)');
    expect(healthFact('worker', unknown, { serving: true, replicas: 0 })).toBe('unknown (scaled to zero)');
    // A Berth from before requestCount.
    expect(healthFact('web', { status: 'healthy', errorRate: 0, avgLatencyMs: 3 })).toBe('healthy, error rate 0.0 %, latency 3 ms');
  });
});

describe('berth status: runtime', () => {
  it('counts out of the replicas the app runs, also while a crashed instance waits to be restarted', () => {
    expect(runtimeFact({ phase: 'Pending', ready: 0, total: 0, restarts: 1, revisionName: 'flaky-00001' }, 1)).toBe('Pending, 0/1 instances ready, 1 restart (flaky-00001)');
    expect(runtimeFact({ phase: 'Pending', ready: 0, total: 1, restarting: 1, restarts: 4, revisionName: 'flaky-00001' }, 1)).toBe(
      'Pending, 0/1 instances ready (1 waiting to restart after a crash), 4 restarts (flaky-00001)',
    );
    const ready = { type: 'Ready', reason: 'InstancesRestarting', message: '0 of 1 instances ready: flaky-00001-ab12cd to be restarted (exited with code 1)' };
    expect(crashWhy({ restarting: 1, conditions: [ready] })).toBe(ready.message);
    expect(crashWhy({ restarting: 0, conditions: [ready] })).toBeNull();
    expect(runtimeFact({ phase: 'Running', ready: 3, total: 3, restarts: 0, revisionName: 'notes-00002' }, 3)).toBe('Running, 3/3 instances ready, 0 restarts (notes-00002)');
    // Scaled to zero, an instance that ignores SIGTERM runs on until the drain timeout kills it.
    expect(runtimeFact({ phase: 'Stopping', ready: 0, total: 0, stopping: 1, restarts: 0, revisionName: 'stubborn-00001' }, 0)).toBe('Stopping, 0/0 instances ready, 1 still stopping, 0 restarts (stubborn-00001)');
    // During a scale-down the revision still runs more than it will.
    expect(runtimeFact({ phase: 'Running', ready: 3, total: 3, restarts: 2, revisionName: null }, 1)).toBe('Running, 3/3 instances ready, 2 restarts (-)');
  });
});

describe('berth status: standby', () => {
  it('names the instances that run beside the replicas, and what they are for', () => {
    expect(standbyFact(1)).toBe('1 more instance: the last served revision kept warm (traffic moved back to it is served at once), tagged revisions for their URLs (`berth traffic` shows which)');
    expect(standbyFact(2)).toMatch(/^2 more instances: /);
  });
});

describe('berth deploys', () => {
  it('says how long a deployment took and one line about it', () => {
    expect(tookWords(42)).toBe('42 s');
    expect(tookWords(600)).toBe('10 min');
    expect(tookWords(null)).toBeNull();
    const none = { error: null, gitCommitMessage: null, gitCommitSha: null, rolledBackFrom: null, imageRef: null };
    expect(deploymentLine({ ...none, error: 'Build failed: npm run build exited with 2' })).toBe('Build failed: npm run build exited with 2');
    expect(deploymentLine({ ...none, gitCommitSha: '0123456789abcdef', gitCommitMessage: 'Fix the login\n\nLonger text' })).toBe('0123456 Fix the login');
    expect(deploymentLine({ ...none, rolledBackFrom: 'dep_1' })).toBe('rollback to dep_1');
    expect(deploymentLine(none)).toBeNull();
  });
});

describe('berth domains', () => {
  it("shows the certificate's state with what explains it", () => {
    expect(tlsFact({ tlsStatus: 'pending', tlsError: null, tlsExpiresAt: null })).toBe('pending');
    expect(tlsFact({ tlsStatus: 'active', tlsError: null, tlsExpiresAt: '2027-01-31T10:00:00.000Z' })).toBe('active (expires 2027-01-31)');
    expect(tlsFact({ tlsStatus: 'failed', tlsError: 'CAA record forbids the CA', tlsExpiresAt: null })).toBe('failed: CAA record forbids the CA');
    // A renewal that fails while the old certificate still serves.
    expect(tlsFact({ tlsStatus: 'active', tlsError: 'rate limited', tlsExpiresAt: '2027-01-31T10:00:00.000Z' })).toBe('active (expires 2027-01-31): rate limited');
  });
});

describe('berth databases', () => {
  it('hides the password, also inside the URI, and leaves a connection without one alone', () => {
    const connection = { uri: 'postgresql://app:p%40ss@db:5432/app', username: 'app', password: 'p@ss', host: 'db', port: 5432, database: 'app' };
    expect(hidePassword(connection)).toEqual({ ...connection, uri: 'postgresql://app:********@db:5432/app', password: '********' });
    const sqlite = { uri: 'file:/var/lib/dooor/sqlite/db.sqlite', username: '', password: '', host: '', port: 0, database: 'db.sqlite' };
    expect(hidePassword(sqlite)).toEqual(sqlite);
  });

  it('prints query cells as psql users read them', () => {
    expect(cellText(null)).toBe('NULL');
    expect(cellText({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(cellText(42)).toBe('42');
    expect(cellText('')).toBe('');
  });
});

describe('berth status, apps, create, deploy: workers and cron apps', () => {
  it('shows a URL only for apps that take HTTP', () => {
    expect(shownUrl({ type: 'web', url: 'http://shop.localhost:8080' })).toBe('http://shop.localhost:8080');
    expect(shownUrl({ type: 'worker', url: 'http://queue.localhost:8080' })).toBeNull();
    expect(shownUrl({ type: 'cron', url: 'http://nightly.localhost:8080' })).toBeNull();
    expect(createdLine({ slug: 'queue', id: 'app_1', type: 'worker', url: 'http://queue.localhost:8080' })).toBe('Created queue (app_1): a worker, it runs without a URL once deployed');
    expect(createdLine({ slug: 'nightly', id: 'app_2', type: 'cron', url: 'http://nightly.localhost:8080', schedule: '0 3 * * *' })).toBe(
      'Created nightly (app_2): a cron app, it runs on "0 3 * * *" (UTC) once deployed',
    );
  });

  it('judges a worker by its instances and a cron app by its last run, never by requests', () => {
    const quiet = { errorRate: 0, avgLatencyMs: 0, requestCount: 0 };
    expect(healthFact('worker', { status: 'healthy', ...quiet })).toBe('healthy (by its instances; a worker takes no HTTP requests)');
    expect(healthFact('cron', { status: 'unhealthy', ...quiet })).toBe('unhealthy (by its last run)');
    expect(healthFact('cron', { status: 'unknown', ...quiet })).toBe('unknown (no finished run yet)');
  });

  it("says a cron app's last run (exit code, how long, when, which) and its next", () => {
    const run = { id: 'cronrun_1', status: 'failed', exitCode: 3, startedAt: '2026-01-01T00:01:00.000Z', finishedAt: '2026-01-01T00:01:00.400Z' };
    expect(lastRunFact(run)).toBe('failed, exit code 3 after 0.4 s, started 2026-01-01T00:01:00.000Z (cronrun_1)');
    expect(lastRunFact({ ...run, status: 'running', finishedAt: null, exitCode: null })).toBe('running since 2026-01-01T00:01:00.000Z (cronrun_1)');
    expect(lastRunFact(undefined)).toBe('none yet');
    expect(scheduleFact('* * * * *')).toBe('"* * * * *" (UTC)');
    const cron = { schedule: '* * * * *', replicas: 1 };
    expect(nextRunFact({ ...cron, nextRunAt: '2026-01-01T00:02:00.000Z' }, true)).toBe('2026-01-01T00:02:00.000Z');
    expect(nextRunFact({ ...cron, nextRunAt: null }, false)).toBe('none: no revision is deployed yet');
    expect(nextRunFact({ ...cron, replicas: 0, nextRunAt: null }, true)).toBe('none: the app is stopped (scale it to 1 to run it again)');
  });
});
