// The certificate the edge benchmarks' proxies serve (openssl, a throwaway directory).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The certificate both proxies serve: ECDSA P-256, for the name wrk and h2load send (the URL's host). */
export function makeCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=DNS:127.0.0.1,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  if (made.status !== 0) throw new Error('openssl could not make the bench certificate');
  return { certFile, keyFile };
}
