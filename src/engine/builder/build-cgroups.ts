// Build steps get cgroups under a root of their own beside the instances' (so the runtime's
// orphan sweep never mistakes a running build for a leftover instance). On start, groups a
// killed Berth left behind are emptied and removed.
import type { Logger } from '../../core/ports/logger.js';
import { ensureCgroupRoot, removeCgroupRoot, type CgroupLocation } from '../runtime/process/cgroup-v1.js';
import { cleanupStepCgroups } from './sandbox-step.js';

export interface BuildCgroups {
  location: CgroupLocation;
  close(): Promise<void>;
}

/** null when the runtime found cgroups unusable here (builds then run without limits, as instances do). */
export async function prepareBuildCgroups(input: { enabled: boolean; instanceRoot: string; mount?: string; logger: Logger }): Promise<BuildCgroups | null> {
  if (!input.enabled) return null;
  const location: CgroupLocation = { mount: input.mount ?? '/sys/fs/cgroup', root: `${input.instanceRoot}-builds` };
  await ensureCgroupRoot(location);
  const stale = await cleanupStepCgroups(location);
  if (stale > 0) input.logger.warn({ stale }, 'removed build cgroups left behind by a previous run of Berth');
  return { location, close: () => removeCgroupRoot(location) };
}
