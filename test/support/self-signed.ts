// A throwaway ECDSA P-256 certificate made with openssl, for TLS listeners in tests.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Writes `<name>.pem` and `<name>.key` into `dir` for `commonName` with the given subjectAltName. */
export function makeSelfSigned(dir: string, name: string, commonName: string, subjectAltName: string): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, `${name}.pem`);
  const keyFile = path.join(dir, `${name}.key`);
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile];
  const made = spawnSync('openssl', [...args, '-days', '2', '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=${subjectAltName}`], { stdio: 'ignore' });
  if (made.status !== 0) throw new Error(`openssl could not make a certificate for ${commonName}`);
  return { certFile, keyFile };
}
