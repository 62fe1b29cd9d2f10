// One-click apps (spec 002's `template`): what a template fills in for a new app (its source,
// port, env defaults and resources) when the request does not say otherwise. The catalog itself
// is data, in templates/catalog.ts.
import type { AppType, ReadinessType } from './app.js';
import type { SourceType } from './source-type.js';

export interface AppTemplate {
  id: string;
  name: string;
  description: string;
  type: AppType;
  source: { type: SourceType; gitRepoUrl: string | null; gitBranch: string | null; imageRef: string | null };
  /** Where the app listens; null: on PORT, which Berth sets. */
  port: number | null;
  env: Readonly<Record<string, string>>;
  resources: { cpuMillicores: number; memoryMi: number };
  replicas: number;
  buildCommand: string | null;
  readinessPath: string;
  readinessType: ReadinessType;
}
