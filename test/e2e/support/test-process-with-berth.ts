// A stand-in for one test process of a run that gets killed: starts a test Berth in process (as
// test files do, so it claims its host objects the same way), deploys one app so an instance runs
// in a network namespace, prints where things are, then idles until the test SIGKILLs it (or,
// should the test process die first, stops cleanly when its stdin closes).
import { startTestBerth } from '../../support/test-berth.js';
import { createApp, deployDir } from './berth-actions.js';
import { instanceApp } from './instance-app.js';

const cgroupName = process.argv[2] ?? 'berth-t-stand-in';
const berth = await startTestBerth('sqlite', { via: 'inject', env: { BERTH_CGROUP_NAME: cgroupName } });
const appDir = instanceApp('left behind');
const appId = await createApp(berth, { name: 'Left behind', slug: 'left-behind', visibility: 'public' });
const deployed = await deployDir(berth, appId, appDir, 'dir:left-behind');
process.stdout.write(`${JSON.stringify({ dataDir: berth.dataDir, appDir, status: deployed.deployment.status })}\n`);
process.stdin.resume();
process.stdin.once('end', () => void berth.close().finally(() => process.exit(0)));
