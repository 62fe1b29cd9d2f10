// A Python app: detected by requirements.txt, its packages installed with pip into the artifact
// (none here: the test stays off the network), started from app.py.
import { describe, expect, it } from 'vitest';
import { buildLog, createApp, deploy, edgeJson, waitForDeployment, useGitAndBerth } from './support.js';

const app = `import json, os
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"from": "python", "revision": os.environ.get("BERTH_REVISION")}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(body)

HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
`;

describe('a Python app', () => {
  const ctx = useGitAndBerth();

  it('is detected, installed with pip and started from app.py', { timeout: 120_000 }, async () => {
    const { t, git } = ctx;
    const repo = git.createRepo('py', { 'requirements.txt': '# nothing to install\n', 'app.py': app });
    const appId = await createApp(t, { name: 'Py', slug: 'py', gitRepoUrl: repo.url });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    const log = await buildLog(t, done.id);
    expect(done.error, log.join('\n')).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', buildpack: 'python' });
    expect(log).toContain('[plan] Detected a Python project (requirements.txt)');
    expect(log).toContain('[plan] start: python3 app.py');
    expect(await edgeJson(t, 'py')).toEqual({ from: 'python', revision: 'py-00001' });
  });
});
