// In-flight deployments of each app, so that deleting the app stops them wherever they are
// (building, running the release command, rolling out, rolling back, syncing env): each holds an
// AbortSignal from here for as long as it runs.
import { appDeletedReason } from '../../domain/deployment.js';

/** Why a deployment's signal was aborted: the build queue's reasons, and its app being deleted. */
export type AbortReason = 'cancel' | 'shutdown' | 'app-deleted';

export interface DeploymentSignals {
  /** A signal that aborts when the deployment must stop; `close` once the deployment has ended. */
  open(deploymentId: string, appId: string): { signal: AbortSignal; close(): void };
  /** Aborts every in-flight deployment of the app; returns how many. */
  abortApp(appId: string, reason: AbortReason): number;
  /**
   * Waits until the app's earlier turns have ended (first come, first served), then resolves
   * with the function that ends this one: rollouts of one app's builds happen one at a time.
   */
  turn(appId: string): Promise<() => void>;
  /** Marks a rollout of the app in flight (a new revision starts, traffic has not moved to it yet) until the returned function is called. */
  rollingOut(appId: string): () => void;
  /** Resolves once no rollout of the app is in flight (at once when none is). */
  rolloutsEnded(appId: string): Promise<void>;
}

export function createDeploymentSignals(): DeploymentSignals {
  const byApp = new Map<string, Map<string, AbortController>>();
  /** The end of each app's last turn. */
  const tails = new Map<string, Promise<void>>();
  /** Each app's rollouts in flight, as promises that resolve when they end. */
  const rollouts = new Map<string, Set<Promise<void>>>();
  return {
    rollingOut(appId) {
      let end = (): void => undefined;
      const ended = new Promise<void>((resolve) => (end = resolve));
      const of = rollouts.get(appId) ?? new Set<Promise<void>>();
      of.add(ended);
      rollouts.set(appId, of);
      return () => {
        of.delete(ended);
        if (of.size === 0 && rollouts.get(appId) === of) rollouts.delete(appId);
        end();
      };
    },
    async rolloutsEnded(appId) {
      // One that starts meanwhile is waited for too: what serves afterwards is what the last one left.
      for (let of = rollouts.get(appId); of && of.size > 0; of = rollouts.get(appId)) await Promise.all([...of]);
    },
    turn(appId) {
      const before = tails.get(appId) ?? Promise.resolve();
      let end = (): void => undefined;
      const mine = new Promise<void>((resolve) => (end = resolve));
      const tail = before.then(() => mine);
      tails.set(appId, tail);
      void tail.then(() => {
        if (tails.get(appId) === tail) tails.delete(appId);
      });
      return before.then(() => end);
    },
    open(deploymentId, appId) {
      const controller = new AbortController();
      const of = byApp.get(appId) ?? new Map<string, AbortController>();
      of.set(deploymentId, controller);
      byApp.set(appId, of);
      return {
        signal: controller.signal,
        close() {
          of.delete(deploymentId);
          if (of.size === 0 && byApp.get(appId) === of) byApp.delete(appId);
        },
      };
    },
    abortApp(appId, reason) {
      const of = byApp.get(appId);
      if (!of) return 0;
      for (const controller of of.values()) controller.abort(reason);
      return of.size;
    },
  };
}

/** The reason a deployment stopped early, in words a user reads, and the status it ends in. */
export function abortOutcome(signal: AbortSignal): { status: 'failed' | 'cancelled'; reason: string } {
  switch (signal.reason as AbortReason) {
    case 'shutdown':
      return { status: 'failed', reason: 'Interrupted: Berth stopped while this deployment was in progress' };
    case 'app-deleted':
      return { status: 'cancelled', reason: appDeletedReason };
    default:
      return { status: 'cancelled', reason: 'Cancelled' };
  }
}
