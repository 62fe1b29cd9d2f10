// The processes running a database's server, found by the id its sandbox names (its volume's path).
import fs from 'node:fs';

export function serverPids(dbId: string): string[] {
  return fs.readdirSync('/proc').filter((p) => {
    try {
      return /^\d+$/.test(p) && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dbId);
    } catch {
      return false; // exited since the listing
    }
  });
}
