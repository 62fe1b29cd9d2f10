// Turns rule conditions into alerts: an alert opens when its condition starts firing and
// resolves itself when the condition clears; while it fires there is one open alert per app and
// type (a user who resolves it by hand is not paged again until the condition clears and
// returns). A condition whose subject changes while it fires (another domain's certificate fails)
// replaces its open alert, so the message names what fails now. Build and deploy failures open
// alerts that the app's next successful deploy resolves.
import type { Logger } from '../../core/ports/logger.js';
import type { Store } from '../../core/ports/store.js';
import type { Alert, AlertType } from '../../core/ports/telemetry.js';
import type { IdGenerator } from '../../domain/ids.js';
import type { Condition } from './alert-rules.js';
import { failureMessage } from './failure-message.js';

export interface AlertEngineOptions {
  store: Store;
  ids: IdGenerator;
  logger: Logger;
  now: () => Date;
  notify: (event: 'alert.triggered' | 'alert.resolved', alert: Alert) => void;
}

export interface AppRef {
  id: string;
  workspaceId: string;
}

const key = (appId: string, type: AlertType) => `${appId}:${type}`;

export function createAlertEngine(options: AlertEngineOptions) {
  /** Condition state by app and type: false, or firing with its subject (null: not known, as after a restart). */
  const firing = new Map<string, false | { subject: string | null }>();
  let deploysCheckedAt = options.now();

  async function open(app: AppRef, condition: Pick<Condition, 'type' | 'severity' | 'message'>): Promise<void> {
    const alert = await options.store.alerts.open({
      id: options.ids('alert'),
      workspaceId: app.workspaceId,
      appId: app.id,
      type: condition.type,
      severity: condition.severity,
      message: condition.message,
      triggeredAt: options.now(),
    });
    if (alert) {
      options.logger.warn({ appId: app.id, type: alert.type, alertId: alert.id }, 'alert opened');
      options.notify('alert.triggered', alert);
    }
  }

  async function resolve(appId: string, type: AlertType): Promise<void> {
    const open = (await options.store.alerts.openAlerts()).filter((a) => a.appId === appId && a.type === type);
    for (const alert of open) {
      const resolved = await options.store.alerts.resolve(alert.id, options.now(), 'auto');
      if (resolved) options.notify('alert.resolved', resolved);
    }
  }

  async function apply(app: AppRef, condition: Condition): Promise<void> {
    if (condition.firing === null) return;
    const k = key(app.id, condition.type);
    const was = firing.get(k) ?? false;
    const subject = condition.subject ?? null;
    if (!condition.firing) {
      if (was === false) return;
      firing.set(k, false);
      await resolve(app.id, condition.type);
      return;
    }
    if (was !== false && (was.subject === null || was.subject === subject)) {
      if (was.subject === null) firing.set(k, { subject });
      return;
    }
    firing.set(k, { subject });
    if (was !== false) await resolve(app.id, condition.type);
    await open(app, condition);
  }

  return {
    async start(): Promise<void> {
      for (const alert of await options.store.alerts.openAlerts()) {
        firing.set(key(alert.appId, alert.type), { subject: null });
        // A deploy that succeeded after the failure but before Berth stopped, too soon for a check
        // to see it, resolves the alert now: checks after this start only see later deploys.
        if (alert.type !== 'build_failed' && alert.type !== 'deploy_failed') continue;
        const succeeded = await options.store.deployments.latestSucceeded(alert.appId);
        if (succeeded?.finishedAt && succeeded.finishedAt > alert.triggeredAt) {
          firing.set(key(alert.appId, alert.type), false);
          await resolve(alert.appId, alert.type);
        }
      }
    },

    async evaluate(app: AppRef, conditions: readonly Condition[]): Promise<void> {
      for (const condition of conditions) await apply(app, condition);
    },

    /** Opens build/deploy alerts for new failures and resolves them on later successes, in order. */
    async checkDeployments(): Promise<void> {
      const since = deploysCheckedAt;
      const [failed, succeeded] = await Promise.all([options.store.activity.failedSince(since), options.store.activity.succeededSince(since)]);
      const events = [
        ...failed.map((f) => ({ at: f.finishedAt, failure: f, appId: f.appId })),
        ...succeeded.map((s) => ({ at: s.finishedAt, failure: null, appId: s.appId })),
      ].sort((a, b) => a.at.getTime() - b.at.getTime());
      for (const event of events) {
        if (event.at > deploysCheckedAt) deploysCheckedAt = event.at;
        if (event.failure) {
          const f = event.failure;
          const type: AlertType = f.failedBuild ? 'build_failed' : 'deploy_failed';
          firing.set(key(f.appId, type), { subject: null });
          await open({ id: f.appId, workspaceId: f.workspaceId }, {
            type,
            severity: f.failedBuild ? 'warning' : 'critical',
            message: failureMessage({ deploymentId: f.id, failedBuild: f.failedBuild, error: f.error }),
          });
        } else {
          for (const type of ['build_failed', 'deploy_failed'] as const) {
            firing.set(key(event.appId, type), false);
            await resolve(event.appId, type);
          }
        }
      }
    },

    /** Apps that are gone: forget their state (their alerts go with them). */
    forget(liveAppIds: ReadonlySet<string>): void {
      for (const k of firing.keys()) if (!liveAppIds.has(k.slice(0, k.indexOf(':')))) firing.delete(k);
    },
  };
}

export type AlertEngine = ReturnType<typeof createAlertEngine>;
