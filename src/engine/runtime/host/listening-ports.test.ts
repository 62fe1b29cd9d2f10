import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { choosePort, listeningSockets, parseProcNetTcp, reachable, socketInodes } from './listening-ports.js';

describe('listening ports', () => {
  it('reads LISTEN sockets of /proc/net/tcp and tcp6', () => {
    const v4 = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0 100 0 0 10 0',
      '   1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4343 1 0 100 0 0 10 0',
      '   2: 0600580A:1F90 0500580A:D431 01 00000000:00000000 00:00000000 00000000  1000        0 0 1 0 20 4 30 10 -1',
    ].join('\n');
    expect(parseProcNetTcp(v4)).toEqual([
      { address: '127.0.0.1', port: 3000, inode: 4242 },
      { address: '0.0.0.0', port: 8080, inode: 4343 },
    ]);
    const v6 = [
      '  sl  local_address                         remote_address                        st',
      '   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 77 1',
      '   1: 00000000000000000000000001000000:0051 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 78 1',
    ].join('\n');
    const sockets = parseProcNetTcp(v6);
    expect(sockets.map((s) => [s.address, s.port])).toEqual([
      ['0:0:0:0:0:0:0:0', 80],
      ['0:0:0:0:0:0:0:1', 81],
    ]);
    expect(sockets.map(reachable)).toEqual([true, false]);
  });

  it('chooses PORT, then the preferred ports in order, then the lowest', () => {
    expect(choosePort([3000, 8080], 8080, [])).toBe(8080);
    expect(choosePort([9229, 3000, 4000], 8080, [4000, 3000])).toBe(4000);
    expect(choosePort([9229, 3000], 8080, [5000])).toBe(3000);
    expect(choosePort([], 8080, [3000])).toBeNull();
  });

  it('finds a socket this process listens on, by its inode', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const mine = await socketInodes([process.pid]);
      const found = (await listeningSockets(process.pid)).filter((s) => mine.has(s.inode)).map((s) => s.port);
      expect(found).toContain(port);
    } finally {
      server.close();
    }
  });
});
