// What the preview use-cases need from the engine: a working tree per session, its dependencies
// installed, a dev server on it, and writes that reach the tree while it runs. Steps throw an
// Error whose message says, in the user's terms, why they failed.
import type { Endpoint } from './route-table.js';

export interface PreviewFile {
  path: string;
  content: Buffer;
  /** Written 0755, else 0644. */
  executable: boolean;
}

export interface PreviewLimits {
  memoryMi: number;
  cpuMillicores: number;
}

export interface DevServer {
  /** The tool found (`Vite`, `Next.js`, or `npm run dev` for a script Berth does not know). */
  tool: string;
  /** What runs, as words, for the session's metadata. */
  command: string;
}

export interface PreviewEngine {
  /** A fresh working tree for the session, filled from `files` (read once the session's writes are queued behind it). */
  hydrate(sessionId: string, files: () => AsyncIterable<PreviewFile>): Promise<void>;
  /** Installs the tree's dependencies, from the app's dependency cache when its lockfile is unchanged. */
  install(input: { sessionId: string; appId: string; limits: PreviewLimits }): Promise<void>;
  /** Starts the dev server on the session's host; resolves once it answers. */
  serve(input: { sessionId: string; appId: string; hostname: string; limits: PreviewLimits }): Promise<DevServer>;
  /** Stops the dev server (if any) and removes the tree; harmless when there is nothing. */
  stop(sessionId: string): Promise<void>;
  /** Write-through of the files API: no-ops for sessions without a tree here. */
  writeFile(sessionId: string, file: PreviewFile): Promise<void>;
  deleteFile(sessionId: string, path: string): Promise<void>;
  /** Where the edge dials the session's dev server; null until it is ready. */
  endpoint(sessionId: string): Endpoint | null;
}

/**
 * What the edge saw of preview hosts, kept in its memory (no write per request): milliseconds
 * since each session's host last carried a request, by session id; 0 while a WebSocket to it
 * (a hot-reload socket) is open; absent when it carried none since the edge started.
 */
export interface PreviewTraffic {
  idleTimes(): Promise<ReadonlyMap<string, number>>;
}

export interface PreviewSettings {
  /** Sessions without a keepalive or edge traffic for this long are stopped (BERTH_PREVIEW_IDLE_MS). */
  idleMs: number;
  /** Sessions that may run at once per workspace (BERTH_PREVIEW_MAX_PER_WORKSPACE). */
  maxPerWorkspace: number;
}
