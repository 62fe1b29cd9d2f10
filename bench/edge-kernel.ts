// Where the proxy's kernel time per request goes, the builtin edge beside nginx: per request, its
// user and kernel CPU (/proc), and what it asks of the kernel (reads, writes, epoll waits, packets
// sent, tasks it wakes, its context switches and page faults; perf tracepoints in its context,
// which add a little kernel time to both), under three CPU placements of proxy, client (wrk) and
// app: as the scheduler likes, all on one CPU, and the proxy on a CPU apart from the other two.
// Found with it (2 vCPUs): both proxies make the same calls per request (2 reads, 2 writes, 2
// packets, no page faults); on one CPU their kernel time per request is the same, and apart it
// grows by 4-6 us for either (each handoff crosses CPUs). Left free, the edge, using more CPU in
// user space, runs apart from its peers more often (more of its wakeups cross CPUs), hence its
// larger kernel share on a quiet machine: it shrinks with the edge's user time, not by itself.
// Not a test. Run: npx tsx bench/edge-kernel.ts [--rounds 3] [--seconds 3]
//   (apt-get install -y wrk nginx linux-perf; taskset from util-linux; as root for the tracepoints)
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeCertificate } from './support/bench-certificate.js';
import { connections, cpuTimes, has, host, median, startChild } from './support/edge-bench.js';
import { nginxWorker, startPlainNginx } from './support/nginx-conf.js';

/** Counted in the proxy's context, summed into the columns below. */
const events: Record<string, string[]> = {
  reads: ['syscalls:sys_enter_read', 'syscalls:sys_enter_readv', 'syscalls:sys_enter_recvfrom'],
  writes: ['syscalls:sys_enter_write', 'syscalls:sys_enter_writev', 'syscalls:sys_enter_sendto', 'syscalls:sys_enter_sendmsg'],
  waits: ['syscalls:sys_enter_epoll_wait', 'syscalls:sys_enter_epoll_pwait'],
  packets: ['net:net_dev_xmit'],
  wakes: ['sched:sched_waking'],
  switches: ['context-switches'],
  faults: ['page-faults'],
};
const columns = ['rps', 'user us', 'kernel us', ...Object.keys(events)];

interface Proxy {
  name: string;
  port: number;
  /** Processes serving its traffic (their threads included). */
  pids: number[];
}

function taskset(cpuList: string, pid: number): void {
  spawnSync('taskset', ['-a', '-p', '-c', cpuList, String(pid)], { stdio: 'ignore' });
}

function wrkArgs(port: number, seconds: number): string[] {
  return ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '-H', `Host: ${host}`, `http://127.0.0.1:${port}/`];
}

/** One measured run: figures per request, by column. */
function measure(proxy: Proxy, clientCpus: string, seconds: number, perf: boolean): number[] {
  spawnSync('taskset', ['-c', clientCpus, ...wrkArgs(proxy.port, 1)], { stdio: 'ignore' });
  const times = () =>
    proxy.pids.map(cpuTimes).reduce((a, t) => ({ user: a.user + t.user, system: a.system + t.system }), { user: 0, system: 0 });
  const before = times();
  const load = ['taskset', '-c', clientCpus, ...wrkArgs(proxy.port, seconds)];
  const names = Object.values(events).flat();
  const run = perf
    ? spawnSync('perf', ['stat', '-x', ',', '-e', names.join(','), '-p', proxy.pids.join(','), '--', ...load], { encoding: 'utf8' })
    : spawnSync(load[0] ?? 'taskset', load.slice(1), { encoding: 'utf8' });
  const after = times();
  const requests = Number(/Requests\/sec:\s+([\d.]+)/.exec(run.stdout)?.[1] ?? Number.NaN) * seconds;
  const counts = new Map<string, number>();
  for (const line of run.stderr.split('\n')) {
    const [count, , name] = line.split(',');
    if (name !== undefined) counts.set(name, Number(count));
  }
  return [
    requests / seconds,
    ((after.user - before.user) / requests) * 1e6,
    ((after.system - before.system) / requests) * 1e6,
    ...Object.values(events).map((list) =>
      perf ? list.reduce((sum, name) => sum + (counts.get(name) ?? 0), 0) / requests : Number.NaN,
    ),
  ];
}

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '3' } },
});
const last = String(cpus().length - 1);
const rest = cpus().length > 2 ? `0-${cpus().length - 2}` : '0';
if (!has('wrk') || !has('nginx') || !has('taskset') || cpus().length < 2) {
  console.log('bench/edge-kernel: needs wrk, nginx, taskset and 2 CPUs or more; nothing measured.');
} else {
  const perf = has('perf') && spawnSync('perf', ['stat', '-e', 'sched:sched_waking', 'true'], { stdio: 'ignore' }).status === 0;
  const self = fileURLToPath(new URL('./edge.ts', import.meta.url));
  const children: ChildProcess[] = [];
  const dirs = [mkdtempSync(join(tmpdir(), 'berth-bench-cert-'))];
  try {
    const tls = makeCertificate(dirs[0] ?? '');
    const app = await startChild(self, ['app']);
    children.push(app.child);
    const appPort = app.ports[0] ?? 0;
    const edge = await startChild(self, ['edge', String(appPort), '0', tls.certFile, tls.keyFile]);
    children.push(edge.child);
    const nginx = await startPlainNginx(appPort);
    children.push(nginx.child);
    dirs.push(nginx.dir);
    const proxies: Proxy[] = [
      { name: 'edge', port: edge.ports[0] ?? 0, pids: [edge.child.pid ?? 0] },
      { name: 'nginx', port: nginx.port, pids: [nginxWorker(nginx.child.pid ?? 0)] },
    ];
    const placements = [
      { name: 'free', proxy: `0-${last}`, others: `0-${last}` },
      { name: 'one CPU', proxy: last, others: last },
      { name: 'apart', proxy: last, others: rest },
    ];
    const seconds = Number(values.seconds);
    console.log(
      `bench/edge-kernel: ${values.rounds} rounds of ${seconds} s at ${connections} connections (HTTP/1.1), medians per request;` +
        ` proxy counts ${perf ? 'from perf tracepoints' : 'unavailable (no perf)'}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
    );
    console.log(`\n${'placement'.padEnd(18)}${columns.map((c) => c.padStart(10)).join('')}`);
    for (const placement of placements) {
      for (const pid of proxies.flatMap((p) => p.pids)) taskset(placement.proxy, pid);
      taskset(placement.others, app.child.pid ?? 0);
      const samples = proxies.map(() => [] as number[][]);
      for (let round = 0; round < Number(values.rounds); round++) {
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        for (const i of order) samples[i]?.push(measure(proxies[i] as Proxy, placement.others, seconds, perf));
      }
      proxies.forEach((proxy, i) => {
        const rows = samples[i] ?? [];
        const cells = columns.map((_, c) => median(rows.map((row) => row[c] ?? Number.NaN)));
        const text = cells.map((v, c) => (c === 0 ? v.toFixed(0) : c < 3 ? v.toFixed(2) : v.toFixed(3)).padStart(10));
        console.log(`${`${placement.name} ${proxy.name}`.padEnd(18)}${text.join('').replaceAll('NaN', '-')}`);
      });
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
