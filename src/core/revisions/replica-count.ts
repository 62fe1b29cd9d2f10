// The replicas an app should run per serving revision, as the core sees it (scale or minReplicas).
import type { App } from '../../domain/app.js';

export function appReplicaCount(app: App): number {
  return app.replicas ?? app.minReplicas;
}
