// One Berth's address range, claimed in the kernel: an `unreachable` route for the whole range
// whose metric names the Berth that owns it. The claim shows other Berths (and the operator) that
// the range is taken, makes addresses without a namespace unreachable rather than routed out,
// and disappears with a reboot, exactly when the namespaces that used it do.
import { formatCidr, overlaps, parseCidr, type Ipv4Range } from '../../host/network/address-plan.js';
import { attempt, run, type NetworkTools } from './net-commands.js';

interface RouteEntry {
  dst?: string;
  type?: string;
  metric?: number;
}

/** The IPv4 destinations in `ip -j route show table all` output, with whether each is `owner`'s claim. */
export function parseRoutes(json: string, claimMetric: number): { range: Ipv4Range; ours: boolean }[] {
  const entries = JSON.parse(json) as RouteEntry[];
  const out: { range: Ipv4Range; ours: boolean }[] = [];
  for (const entry of entries) {
    if (!entry.dst || entry.dst === 'default') continue;
    const range = parseCidr(entry.dst.includes('/') ? entry.dst : `${entry.dst}/32`);
    if (range) out.push({ range, ours: entry.type === 'unreachable' && entry.metric === claimMetric });
  }
  return out;
}

export interface ClaimInput {
  tools: NetworkTools;
  /** Ranges to try, in order; one when the operator configured it. */
  candidates: readonly Ipv4Range[];
  configured: boolean;
  metric: number;
  /** Addresses that must stay reachable outside the range (the host's resolvers). */
  avoid: readonly Ipv4Range[];
}

const routesNow = async (tools: NetworkTools, metric: number) => parseRoutes(await run([tools.ip, '-j', '-4', 'route', 'show', 'table', 'all']), metric);

/** Re-claims the range this Berth left, else claims the first free candidate; throws saying why none would do. */
export async function claimRange(input: ClaimInput): Promise<Ipv4Range> {
  const { tools, metric } = input;
  // A range this Berth claimed before (a run that was killed) is taken back first, wherever it
  // comes in the order: an earlier candidate free now would leave the old claim behind for good.
  // Any other claim with this Berth's metric is an older leftover: it goes.
  const same = (a: Ipv4Range, b: Ipv4Range) => a.base === b.base && a.prefix === b.prefix;
  const left = (await routesNow(tools, metric)).filter((r) => r.ours).map((r) => r.range);
  const again = input.candidates.find((candidate) => left.some((range) => same(range, candidate)));
  for (const range of left) if (!again || !same(range, again)) await releaseRange(tools, range, metric);
  if (again) return again;
  let lastProblem = 'no candidate range';
  for (const candidate of input.candidates) {
    const cidr = formatCidr(candidate);
    const routes = await routesNow(tools, metric);
    const mine = routes.some((r) => r.ours && r.range.base === candidate.base && r.range.prefix === candidate.prefix);
    if (mine) return candidate;
    const clash = routes.find((r) => overlaps(r.range, candidate))?.range ?? input.avoid.find((a) => overlaps(a, candidate));
    if (clash) {
      lastProblem = `${cidr} overlaps ${formatCidr(clash)}, which this machine already routes or uses`;
      continue;
    }
    if (!(await attempt([tools.ip, 'route', 'add', 'unreachable', cidr, 'metric', String(metric)]))) {
      lastProblem = `could not add a route for ${cidr}`;
      continue;
    }
    // Two Berths may claim one range at the same moment: the lower metric keeps it.
    const rivals = (await routesNow(tools, metric)).filter((r) => !r.ours && r.range.base === candidate.base && r.range.prefix === candidate.prefix);
    if (rivals.length === 0) return candidate;
    await releaseRange(tools, candidate, metric);
    lastProblem = `${cidr} was claimed by another Berth at the same time`;
  }
  throw new Error(input.configured ? `BERTH_INSTANCE_CIDR ${lastProblem}` : `no free /16 between 10.64.0.0 and 10.253.255.255 for instances (last: ${lastProblem}); set BERTH_INSTANCE_CIDR`);
}

export async function releaseRange(tools: NetworkTools, range: Ipv4Range, metric: number): Promise<void> {
  await attempt([tools.ip, 'route', 'del', 'unreachable', formatCidr(range), 'metric', String(metric)]);
}
