// The default way an instance gets its PORT: ask the kernel for a free loopback port, and
// keep it reserved until the instance exits so two starts in flight never share one.
import { createServer } from 'node:net';
import type { PortAllocator } from './options.js';

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

export function createLoopbackPortAllocator(host = '127.0.0.1'): PortAllocator {
  const reserved = new Set<number>();
  return {
    async allocate() {
      for (let attempt = 0; attempt < 20; attempt++) {
        const port = await freePort(host);
        if (!reserved.has(port)) {
          reserved.add(port);
          return port;
        }
      }
      throw new Error('could not find a free loopback port');
    },
    release(port) {
      reserved.delete(port);
    },
  };
}
