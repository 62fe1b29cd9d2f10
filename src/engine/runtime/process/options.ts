// What the composition root hands the process driver: where it keeps state, what apps must
// never see, how ports and uids are chosen, and which isolation to attempt.
import type { Logger } from '../../../core/ports/logger.js';

/** Pino-compatible: fields first, then the message. */
export type RuntimeLogger = Logger;

export interface PortAllocator {
  /** A loopback port nobody listens on, reserved until released. */
  allocate(): Promise<number>;
  release(port: number): void;
}

/** Absolute paths of the helper programs; defaults are Debian's. */
export interface ProcessRuntimeTools {
  sh: string;
  env: string;
  bwrap: string;
  setpriv: string;
}

export type IsolationMode = 'auto' | 'off';

export interface ProcessRuntimeOptions {
  /** The driver's own directory (pid records, generated sandbox files), under Berth's data dir. */
  stateDir: string;
  /** Host paths an app must never see (Berth's data dir); a sandbox never mounts them. */
  hiddenPaths: readonly string[];
  logger: RuntimeLogger;
  /** Default: a free loopback port per instance. */
  ports?: PortAllocator;
  /** Name of Berth's cgroup under each v1 controller (`berth`; tests use a unique one). */
  cgroupRoot: string;
  /** Default `/sys/fs/cgroup`. */
  cgroupMount?: string;
  /** `off` skips bubblewrap even when installed. Default `auto`. */
  sandbox?: IsolationMode;
  /** `off` skips cgroups even when writable. Default `auto`. */
  cgroups?: IsolationMode;
  /** Host uids handed to apps, one per app, persisted in the state dir. Default 1,000,000 + 1,000,000. */
  uidRange?: { first: number; count: number };
  /** Host `/etc/resolv.conf` to copy nameservers from. */
  resolvConfPath?: string;
  tools?: Partial<ProcessRuntimeTools>;
}

export const defaultTools: ProcessRuntimeTools = {
  sh: '/bin/sh',
  env: '/usr/bin/env',
  bwrap: '/usr/bin/bwrap',
  setpriv: '/usr/bin/setpriv',
};
