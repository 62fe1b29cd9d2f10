// Python apps: detected by requirements.txt, their packages installed with pip into the artifact,
// started from app.py or a Procfile. PyPI is not reachable from the test machine, so the package
// with a console script (as gunicorn, uvicorn and flask have) is a wheel the test builds and the
// project requires by path.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLog, createApp, deploy, edgeJson, waitForDeployment, useGitAndBerth, ws } from './support.js';

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

/** A package whose console script `berth-hello` serves HTTP (like gunicorn) or, with --release, checks and exits. */
const helloPackage = `import json, os, shutil, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

def main():
    if "--release" in sys.argv:
        print("release ran " + os.path.basename(sys.argv[0]))
        return
    greeting = sys.argv[sys.argv.index("--greeting") + 1]
    for n in range(1, 6):
        print("boot line %d of 5" % n)  # no flush: a buffered stdout keeps these until 8 KiB
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"greeting": greeting, "script": shutil.which("berth-hello")}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        def log_message(self, *args):
            pass
    HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
`;

/** Builds berth_hello-1.0-py3-none-any.whl with the system's pip and setuptools, offline. */
function buildHelloWheel(): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-wheel-'));
  try {
    fs.mkdirSync(path.join(dir, 'src', 'berth_hello'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'berth_hello', '__init__.py'), helloPackage);
    fs.writeFileSync(
      path.join(dir, 'src', 'setup.py'),
      'from setuptools import setup\nsetup(name="berth-hello", version="1.0", packages=["berth_hello"], entry_points={"console_scripts": ["berth-hello=berth_hello:main"]})\n',
    );
    execFileSync('/usr/bin/python3', ['-m', 'pip', 'wheel', '--no-build-isolation', '--no-deps', '--no-index', '-q', '-w', path.join(dir, 'out'), path.join(dir, 'src')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/bin:/bin', HOME: dir, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
    });
    return fs.readFileSync(path.join(dir, 'out', 'berth_hello-1.0-py3-none-any.whl'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

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

  it('finds the console scripts pip installed on PATH at release and run time, and logs prints at once', { timeout: 180_000 }, async () => {
    const { t, git } = ctx;
    const repo = git.createRepo('py-script', {
      'requirements.txt': './vendor/berth_hello-1.0-py3-none-any.whl\n',
      'vendor/berth_hello-1.0-py3-none-any.whl': buildHelloWheel(),
      Procfile: 'web: berth-hello --greeting hi\n',
    });
    const appId = await createApp(t, { name: 'Py script', slug: 'py-script', gitRepoUrl: repo.url, releaseCommand: 'berth-hello --release' });
    const done = await waitForDeployment(t, (await deploy(t, { appId })).id);
    const log = await buildLog(t, done.id);
    expect(done.error, log.join('\n')).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', buildpack: 'python' });
    expect(log).toContain('[plan] start: berth-hello --greeting hi (Procfile web:)');
    expect(log).toContain('release ran berth-hello');
    const answer = await edgeJson(t, 'py-script');
    expect(answer.greeting).toBe('hi');
    expect(answer.script).toMatch(/\.python-packages\/bin\/berth-hello$/);
    // The server never exits, so only an unbuffered stdout gets its five boot lines to the log.
    const deadline = Date.now() + 15_000;
    let messages: string[] = [];
    while (Date.now() < deadline) {
      const res = await t.request<{ logs: { message: string; severity: string }[] }>('GET', ws(t, `/monitoring/apps/${appId}/logs?limit=100`));
      messages = res.body.logs.map((l) => l.message).filter((m) => m.startsWith('boot line'));
      if (messages.length === 5) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(messages.sort()).toEqual([1, 2, 3, 4, 5].map((n) => `boot line ${n} of 5`));
  });
});
