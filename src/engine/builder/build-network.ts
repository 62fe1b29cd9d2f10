// Build steps get network namespaces from a network of their own beside the instances' (its own
// range, table and names, like their cgroups), so the runtime's orphan sweep and a build's never
// touch each other's namespaces. On start, namespaces a killed Berth left behind are removed.
import type { Logger } from '../../core/ports/logger.js';
import { networkTag } from '../runtime/process/names.js';
import { openHostNetwork, type HostNetwork } from '../runtime/process/network/host-network.js';
import { defaultTools, type HostService } from '../runtime/process/options.js';

/** null when the runtime found network namespaces unusable here (builds then share the host network, as instances do). */
export async function prepareBuildNetwork(input: {
  enabled: boolean;
  instanceRoot: string;
  stateDir: string;
  hostServices: readonly HostService[];
  logger: Logger;
}): Promise<HostNetwork | null> {
  if (!input.enabled) return null;
  const network = await openHostNetwork({
    tag: networkTag(`${input.instanceRoot}-builds`, input.stateDir),
    cidr: null,
    services: input.hostServices,
    tools: defaultTools,
    resolvConfPath: '/etc/resolv.conf',
    logger: input.logger,
  });
  const stale = await network.cleanupOrphans();
  if (stale > 0) input.logger.warn({ stale }, 'removed build network namespaces left behind by a previous run of Berth');
  return network;
}
