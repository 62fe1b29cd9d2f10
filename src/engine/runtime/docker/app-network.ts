// One bridge network per app, made on first use: an app's instances reach each other and the
// edge reaches them, other apps' instances are on other bridges. Host rules (host-rules.ts) keep
// instances off the host's own services: a container's loopback is its own, as in a namespace.
import type Docker from 'dockerode';
import { LABEL } from './labels.js';
import { bridgeName, networkName } from './names.js';

export function createAppNetworks(docker: Docker, tag: string): { ensure(appId: string): Promise<string>; prune(): Promise<void> } {
  const made = new Map<string, Promise<string>>();
  const ensure = async (appId: string): Promise<string> => {
    const name = networkName(tag, appId);
    try {
      await docker.getNetwork(name).inspect();
      return name;
    } catch {
      // Not there yet.
    }
    try {
      await docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: { [LABEL.tag]: tag, [LABEL.app]: appId },
        Options: { 'com.docker.network.bridge.name': bridgeName(tag, appId) },
      });
    } catch (error) {
      // Another start of the same app made it meanwhile.
      if (!/already exists/i.test(error instanceof Error ? error.message : String(error))) throw error;
    }
    return name;
  };
  return {
    ensure(appId) {
      const pending = made.get(appId) ?? ensure(appId).catch((error: unknown) => {
        made.delete(appId);
        throw error;
      });
      made.set(appId, pending);
      return pending;
    },
    // One by one: the engine runs one prune at a time, and another Berth on it may be pruning.
    async prune() {
      made.clear();
      const networks = await docker.listNetworks({ filters: JSON.stringify({ label: [`${LABEL.tag}=${tag}`] }) });
      for (const network of networks) await docker.getNetwork(network.Id).remove().catch(() => undefined);
    },
  };
}
