// The app under load in the zero-downtime bench: answers JSON naming its revision. A graceful
// one stops accepting on SIGTERM, finishes what it has and exits; an abrupt one just dies
// (Node's default), which is what many real apps do. `/slow?ms=N` answers after N ms.
import fs from 'node:fs';
import path from 'node:path';

export type AppKind = 'graceful' | 'abrupt';

export function writeBenchApp(root: string, name: string, kind: AppKind): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(
    path.join(dir, 'server.js'),
    `const http = require('http');
const server = http.createServer((req, res) => {
  const delayMs = req.url.startsWith('/slow?ms=') ? Number(req.url.slice(9)) : 0;
  setTimeout(() => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ revision: process.env.BERTH_REVISION }));
  }, delayMs);
});
server.listen(Number(process.env.PORT), '127.0.0.1');
${kind === 'graceful' ? "process.on('SIGTERM', () => server.close(() => process.exit(0)));" : ''}
`,
  );
  return dir;
}
