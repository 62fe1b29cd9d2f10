// Finds out once, at start, which isolation this machine allows: a bubblewrap sandbox (needs
// bwrap, setpriv, root, and namespaces the kernel permits: proven by running one), cgroup v1
// limits (proven by creating Berth's root group) and a network namespace per instance (needs
// root, ip, nft and nsenter: proven by claiming the range and making one namespace). The result
// is logged once, plainly; what is `required` and missing stops Berth, naming what is missing.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { runCommand } from '../../spawn.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { ensureCgroupRoot, removeCgroupRoot, type CgroupLocation } from '../host/cgroup-v1.js';
import { prepareWritableLayer, removeWritableLayer, writableLayerHop } from './disk-layer.js';
import { openHostNetwork, type HostNetwork } from './network/host-network.js';
import type { HostService, IsolationMode, ProcessRuntimeTools, RuntimeLogger } from './options.js';

export interface IsolationSupport {
  sandbox: boolean;
  cgroups: boolean;
  /** This Berth's instance network, when network namespaces work. */
  network: HostNetwork | null;
  /** Instances' writable space can be bounded (loop-mounted ext4 under an overlay). */
  disk: boolean;
  /** setpriv can make an unsandboxed app die with Berth. */
  pdeathsig: boolean;
  /** Why something is off, one phrase each. */
  reasons: string[];
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The same chain a sandboxed instance uses, running `true`. */
async function sandboxSmokeTest(tools: ProcessRuntimeTools, uid: number): Promise<string | null> {
  const argv = [
    tools.bwrap,
    '--die-with-parent',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--ro-bind',
    '/usr',
    '/usr',
    '--symlink',
    'usr/lib',
    '/lib',
    '--symlink',
    'usr/lib64',
    '/lib64',
    '--symlink',
    'usr/bin',
    '/bin',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--tmpfs',
    '/tmp',
    '--',
    tools.setpriv,
    `--reuid=${uid}`,
    `--regid=${uid}`,
    '--clear-groups',
    '--inh-caps=-all',
    '--bounding-set=-all',
    '--',
    tools.bwrap,
    '--unshare-user',
    '--disable-userns',
    '--dev-bind',
    '/',
    '/',
    '--',
    tools.env,
    'true',
  ];
  try {
    const result = await runCommand(argv, { env: {}, timeoutMs: 10_000, maxOutputBytes: 4096 });
    return result.exitCode === 0
      ? null
      : `bubblewrap test run failed: ${result.stderr.trim() || `exit ${result.exitCode}`}`;
  } catch (error) {
    return `bubblewrap test run failed: ${(error as Error).message}`;
  }
}

export interface DetectInput {
  tools: ProcessRuntimeTools;
  sandbox: IsolationMode;
  cgroups: IsolationMode;
  network: IsolationMode;
  cgroupLocation: CgroupLocation;
  testUid: number;
  /** Names this Berth's network objects (names.ts networkTag). */
  networkTag: string;
  instanceCidr: string | null;
  hostServices: readonly HostService[];
  resolvConfPath: string;
  logger: RuntimeLogger;
  stateDir: string;
  /** Bounded writable space (instances' diskMi); build steps have no use for it. Default: tried unless sandbox and cgroups are off. */
  disk?: 'auto' | 'off';
}

async function detectSandbox(input: DetectInput): Promise<string | null> {
  if (input.sandbox === 'off') return 'sandbox disabled by configuration';
  if (!(await executable(input.tools.bwrap))) return `bubblewrap not installed (${input.tools.bwrap})`;
  if (!(await executable(input.tools.setpriv))) return `setpriv not installed (${input.tools.setpriv})`;
  if (!(await executable(input.tools.env))) return `env not found (${input.tools.env})`;
  if (process.getuid?.() !== 0) return 'Berth is not root, so it cannot give each app a uid of its own';
  return sandboxSmokeTest(input.tools, input.testUid);
}

async function detectCgroups(input: DetectInput): Promise<string | null> {
  if (input.cgroups === 'off') return 'cgroups disabled by configuration';
  if (!(await executable(input.tools.sh))) return `no shell at ${input.tools.sh} to join cgroups before exec`;
  try {
    await access(`${input.cgroupLocation.mount}/memory/memory.limit_in_bytes`);
  } catch {
    return `no cgroup v1 memory controller under ${input.cgroupLocation.mount}`;
  }
  try {
    await ensureCgroupRoot(input.cgroupLocation);
    return null;
  } catch (error) {
    return `cannot create cgroups under ${input.cgroupLocation.mount}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

async function detectNetwork(input: DetectInput): Promise<{ network: HostNetwork | null; reason: string | null }> {
  if (input.network === 'off') return { network: null, reason: 'network namespaces disabled by configuration (BERTH_INSTANCE_CIDR=off)' };
  for (const tool of [input.tools.ip, input.tools.nft, input.tools.nsenter]) {
    if (!(await executable(tool))) return { network: null, reason: `${tool} not installed (apt-get install -y iproute2 nftables util-linux)` };
  }
  if (process.getuid?.() !== 0) return { network: null, reason: 'Berth is not root, so it cannot create network namespaces' };
  let network: HostNetwork | null = null;
  try {
    network = await openHostNetwork({
      tag: input.networkTag,
      cidr: input.instanceCidr,
      services: input.hostServices,
      tools: input.tools,
      resolvConfPath: input.resolvConfPath,
      logger: input.logger,
    });
    const trial = await network.attach();
    await trial.release();
    return { network, reason: null };
  } catch (error) {
    await network?.close();
    return { network: null, reason: `network namespaces do not work here: ${(error as Error).message}` };
  }
}

async function detectDisk(input: DetectInput): Promise<string | null> {
  if (input.disk === 'off' || (input.sandbox === 'off' && input.cgroups === 'off')) return 'disk limits disabled by configuration';
  for (const tool of [input.tools.mkfs, input.tools.unshare, input.tools.mount]) {
    if (!(await executable(tool))) return `${tool} not installed, so disk limits are not enforced`;
  }
  if (process.getuid?.() !== 0) return 'Berth is not root, so it cannot mount bounded disks for apps';
  const lower = await mkdtemp('/tmp/berth-disk-test-');
  try {
    const layer = await prepareWritableLayer(input.tools, input.stateDir, { instanceId: 'disk-test', diskMi: 16, uid: 0, gid: 0 });
    const argv = [...writableLayerHop(input.tools, layer, lower), input.tools.env, 'true'];
    const result = await runCommand(argv, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, timeoutMs: 10_000, maxOutputBytes: 4096 });
    return result.exitCode === 0 ? null : `bounded app disks do not work here: ${result.stderr.trim() || `exit ${result.exitCode}`}`;
  } catch (error) {
    return `bounded app disks do not work here: ${(error as Error).message}`;
  } finally {
    await removeWritableLayer(input.stateDir, 'disk-test');
    await rm(lower, { recursive: true, force: true });
  }
}

export async function detectIsolation(input: DetectInput): Promise<IsolationSupport> {
  const sandboxOff = await detectSandbox(input);
  const cgroupsOff = await detectCgroups(input);
  const diskOff = await detectDisk(input);
  const { network, reason: networkOff } = await detectNetwork(input);
  const pdeathsig = await executable(input.tools.setpriv);
  const missing = [
    input.sandbox === 'required' ? sandboxOff : null,
    input.cgroups === 'required' ? cgroupsOff : null,
    input.network === 'required' ? networkOff : null,
  ].filter((r): r is string => r !== null);
  if (missing.length > 0) {
    await network?.close();
    if (cgroupsOff === null) await removeCgroupRoot(input.cgroupLocation);
    throw new Error(`BERTH_ISOLATION=required, but ${missing.join('; ')}`);
  }
  return {
    sandbox: sandboxOff === null,
    cgroups: cgroupsOff === null,
    network,
    disk: diskOff === null,
    pdeathsig,
    reasons: [sandboxOff, cgroupsOff, networkOff, diskOff].filter((r): r is string => r !== null),
  };
}

export function logIsolation(logger: RuntimeLogger, support: IsolationSupport): void {
  const fields = { sandbox: support.sandbox, cgroups: support.cgroups, networkNamespaces: support.network !== null, diskLimits: support.disk };
  const off: string[] = [];
  if (!support.sandbox)
    off.push("apps are NOT sandboxed: they can read the host filesystem, see other processes and run as Berth's user");
  if (!support.cgroups) off.push('memory, cpu and pids limits are NOT enforced');
  if (!support.disk) off.push('disk limits are NOT enforced: an app may fill the disk of its tree');
  if (support.network) off.push(`each instance has a network namespace of its own in ${support.network.cidr}`);
  else off.push("apps share the host network: they can reach the host's loopback services and each other's ports");
  const message = `process runtime isolation: ${off.join('; ')}`;
  if (support.sandbox && support.cgroups && support.network) logger.info({ ...fields, reasons: support.reasons }, message);
  else logger.warn({ ...fields, reasons: support.reasons }, message);
}
