// The nginx the edge benchmarks measure against: the same proxy settings everywhere (keep-alive
// to the app, the X-Forwarded-* headers the edge sets), written into a throwaway prefix directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './edge-bench.js';

/** A location proxying to the `app` upstream as the edge does. */
export const proxyLocation = `location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
    }`;

export interface NginxOptions {
  appPort: number;
  workers: number;
  /** The server blocks (each with proxyLocation). */
  servers: string;
  /** Extra main-context directives (`master_process off;` for one process). */
  main?: string;
}

/** Writes `dir`/nginx.conf (and nginx's temp directories); returns its path. */
export function writeNginxConf(dir: string, options: NginxOptions): string {
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o777 });
  // keepalive_requests raised from nginx's 1000 so it, like the edge, never closes a busy client connection.
  const conf = `${options.main ?? ''}worker_processes ${options.workers};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream app { server 127.0.0.1:${options.appPort}; keepalive 128; }
  ${options.servers}
}
`;
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, conf);
  return file;
}

/** One plain-HTTP nginx worker on a free loopback port proxying to the app, up once it answers. */
export async function startPlainNginx(appPort: number): Promise<{ child: ChildProcess; port: number; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-nginx-'));
  const port = await freePort();
  writeNginxConf(dir, { appPort, workers: 1, servers: `server { listen 127.0.0.1:${port}; ${proxyLocation} }` });
  const child = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'inherit' });
  await answering(port);
  return { child, port, dir };
}

/** Waits (up to 5 s) until something answers HTTP on the loopback port. */
export async function answering(port: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** nginx's worker is the master's child: that is where requests are served. */
export function nginxWorker(masterPid: number): number {
  const children = readFileSync(`/proc/${masterPid}/task/${masterPid}/children`, 'utf8').trim().split(/\s+/);
  return Number(children[0]);
}

