// What the composition root hands the process driver: where it keeps state, what apps must
// never see, how ports and uids are chosen, and which isolation to attempt (or require).
import type { Logger } from '../../../core/ports/logger.js';
import type { HostTools } from '../host/host-tools.js';
import type { HostService } from '../host/network/nft-rules.js';
import type { VolumeStore } from '../../volumes/volume-store.js';

export type { HostService };

/** Pino-compatible: fields first, then the message. */
export type RuntimeLogger = Logger;

export interface PortAllocator {
  /** A loopback port nobody listens on, reserved until released. */
  allocate(): Promise<number>;
  release(port: number): void;
}

/** Absolute paths of the helper programs (engine/runtime/host/host-tools.ts). */
export type ProcessRuntimeTools = HostTools;

/** `auto`: use it where the machine allows; `off`: never; `required`: refuse to start without it. */
export type IsolationMode = 'auto' | 'off' | 'required';

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
  /** A network namespace per instance; `off` shares the host network. Default `auto`. */
  network?: IsolationMode;
  /** The instances' IPv4 range (e.g. 10.88.0.0/16); null or absent: a free /16 picked at start. */
  instanceCidr?: string | null;
  /** Host services instances may reach (off by default). */
  hostServices?: readonly HostService[];
  /** Host uids handed to apps, one per app, persisted in the state dir. Default 1,000,000 + 1,000,000. */
  uidRange?: { first: number; count: number };
  /** Host `/etc/resolv.conf` to copy nameservers from. */
  resolvConfPath?: string;
  tools?: Partial<ProcessRuntimeTools>;
  /** Where persistent volumes live; absent: instances cannot have any. */
  volumes?: VolumeStore;
}
