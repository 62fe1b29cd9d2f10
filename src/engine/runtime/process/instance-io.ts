// What an instance wrote and sent, read from the host without entering it: the blocks its
// writable layer's image took (a sparse file grows as the app writes), and the counters of the
// host side of its veth (what the host received is what the instance sent, and back).
import { readFile, stat } from 'node:fs/promises';

/** Bytes the file takes on disk (not its apparent size), or null when it cannot be read. */
export async function allocatedBytes(file: string): Promise<number | null> {
  try {
    return (await stat(file)).blocks * 512;
  } catch {
    return null;
  }
}

async function counter(iface: string, name: 'rx_bytes' | 'tx_bytes'): Promise<number> {
  return Number((await readFile(`/sys/class/net/${iface}/statistics/${name}`, 'utf8')).trim());
}

/** The instance's received and sent bytes since its namespace was made; null when the veth is gone. */
export async function vethTraffic(hostInterface: string): Promise<{ rxBytes: number; txBytes: number } | null> {
  try {
    const [hostRx, hostTx] = await Promise.all([counter(hostInterface, 'rx_bytes'), counter(hostInterface, 'tx_bytes')]);
    return { rxBytes: hostTx, txBytes: hostRx };
  } catch {
    return null;
  }
}
