// sha256 of a Blob, in chunks: @noble/hashes, because crypto.subtle is missing on plain-http
// hosts other than localhost, which is where a self-hosted Berth often lives.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export async function sha256Hex(blob: Blob): Promise<string> {
  const hash = sha256.create();
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
  }
  return bytesToHex(hash.digest());
}
