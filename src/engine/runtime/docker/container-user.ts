// The uid and gid a container runs as (its image's USER, or root), so that the volumes bound
// into it are its own: a named user is looked up in the container's /etc/passwd and /etc/group,
// as the engine itself does when it starts the container.
import type Docker from 'dockerode';
import { Parser } from 'tar';
import type { VolumeOwner } from '../../volumes/volume-store.js';

const MAX_FILE_BYTES = 1024 * 1024;

/** One file of the (created) container, or null when it has none. */
async function readContainerFile(container: Docker.Container, path: string): Promise<string | null> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path });
  } catch {
    return null;
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const parser = new Parser({
      onReadEntry: (entry) => {
        entry.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_FILE_BYTES) chunks.push(chunk);
        });
      },
    });
    parser.on('end', () => resolve(size <= MAX_FILE_BYTES ? Buffer.concat(chunks).toString('utf8') : null));
    parser.on('error', () => resolve(null));
    archive.on('error', () => resolve(null));
    archive.pipe(parser);
  });
}

/** The field at `index` of the first line of an /etc/passwd-style file whose field `key` is `value`. */
export function lookupField(text: string | null, key: number, value: string, index: number): number | null {
  for (const line of (text ?? '').split('\n')) {
    const fields = line.split(':');
    if (fields[key] !== value) continue;
    const found = Number(fields[index]);
    return fields[index] !== '' && Number.isInteger(found) && found >= 0 ? found : null;
  }
  return null;
}

const numeric = (value: string): number | null => (/^\d+$/.test(value) ? Number(value) : null);

/** `user` as the image says it (`name`, `uid`, `name:group`, `uid:gid`, or empty for root). */
export async function containerUser(container: Docker.Container, user: string): Promise<VolumeOwner> {
  const [who = '', group = ''] = user.split(':');
  if (who === '' || who === 'root') return { uid: 0, gid: numeric(group) ?? 0 };
  const passwd = numeric(who) === null || group === '' ? await readContainerFile(container, '/etc/passwd') : null;
  const uid = numeric(who) ?? lookupField(passwd, 0, who, 2);
  if (uid === null) throw new Error(`the image's user ${JSON.stringify(who)} is not in its /etc/passwd`);
  // No group: the user's primary group, else 0 (what the engine does for a uid it does not know).
  const gid = group === '' ? (lookupField(passwd, 2, String(uid), 3) ?? 0) : (numeric(group) ?? lookupField(await readContainerFile(container, '/etc/group'), 0, group, 2));
  if (gid === null) throw new Error(`the image's group ${JSON.stringify(group)} is not in its /etc/group`);
  return { uid, gid };
}
