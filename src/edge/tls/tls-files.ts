// Where the edge keeps its ACME account, certificates and issuance state: one directory in
// Berth's data dir, 0700, every file 0600 and written whole (temp file, then rename), so a
// crash leaves the old file or the new one. Private keys are read and written here only.
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Attempts, CertificateDates } from './renewal-plan.js';

export interface StoredCertificate extends CertificateDates {
  certPem: string;
  keyPem: string;
  /** Hex, upper-case, as openssl prints it. */
  serial: string;
}

/** An order being worked on: resumed after a restart instead of starting another. */
export interface PendingOrder {
  url: string;
  /** The certificate key its CSR was (or will be) made with. */
  keyPem: string;
}

export interface HostState extends Attempts {
  order: PendingOrder | null;
  /** The order the served certificate came from. */
  issuedBy: string | null;
}

interface StateFile {
  hosts: Record<string, Omit<HostState, 'nextAttemptAt' | 'order'> & { nextAttemptAt: string | null; order: { url: string } | null }>;
}

const hostnameShape = /^(\*\.)?[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

function checkedName(hostname: string): string {
  if (!hostnameShape.test(hostname) || hostname.includes('..')) throw new Error(`not a hostname: ${hostname}`);
  return hostname.replace('*', '_wildcard');
}

export function certificateDates(certPem: string): CertificateDates & { serial: string } {
  const x509 = new X509Certificate(certPem);
  return { notBefore: new Date(x509.validFrom), notAfter: new Date(x509.validTo), serial: x509.serialNumber.toUpperCase() };
}

/** DNS names a certificate covers (subjectAltName, else its CN). */
export function certificateNames(certPem: string): string[] {
  const x509 = new X509Certificate(certPem);
  const names = (x509.subjectAltName ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('DNS:'))
    .map((part) => part.slice(4).toLowerCase());
  if (names.length > 0) return names;
  const cn = /CN=([^\n,]+)/.exec(x509.subject)?.[1];
  return cn === undefined ? [] : [cn.toLowerCase()];
}

export class TlsFiles {
  constructor(readonly dir: string) {}

  private file(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  private write(file: string, content: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, content, { mode: 0o600 });
    fs.chmodSync(temp, 0o600);
    fs.renameSync(temp, file);
  }

  private read(file: string): string | null {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  private remove(file: string): void {
    fs.rmSync(file, { force: true });
  }

  ensureDir(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.dir, 0o700);
  }

  accountKey(): string | null {
    return this.read(this.file('account-key.pem'));
  }

  saveAccountKey(pem: string): void {
    this.write(this.file('account-key.pem'), pem);
  }

  /** The account URL registered at this directory, if any. */
  accountUrl(directoryUrl: string): string | null {
    const raw = this.read(this.file('account.json'));
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as { directoryUrl?: string; accountUrl?: string };
    return parsed.directoryUrl === directoryUrl ? (parsed.accountUrl ?? null) : null;
  }

  saveAccountUrl(directoryUrl: string, accountUrl: string): void {
    this.write(this.file('account.json'), `${JSON.stringify({ directoryUrl, accountUrl }, null, 2)}\n`);
  }

  certificate(hostname: string): StoredCertificate | null {
    const name = checkedName(hostname);
    const certPem = this.read(this.file('certs', `${name}.crt.pem`));
    const keyPem = this.read(this.file('certs', `${name}.key.pem`));
    if (certPem === null || keyPem === null) return null;
    try {
      return { certPem, keyPem, ...certificateDates(certPem) };
    } catch {
      return null; // unreadable: obtained again
    }
  }

  saveCertificate(hostname: string, certPem: string, keyPem: string): void {
    const name = checkedName(hostname);
    this.write(this.file('certs', `${name}.key.pem`), keyPem);
    this.write(this.file('certs', `${name}.crt.pem`), certPem);
  }

  removeCertificate(hostname: string): void {
    const name = checkedName(hostname);
    this.remove(this.file('certs', `${name}.crt.pem`));
    this.remove(this.file('certs', `${name}.key.pem`));
    this.remove(this.file('orders', `${name}.key.pem`));
  }

  /** Hostnames with a certificate on disk. */
  certificateHosts(): string[] {
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(this.file('certs'));
    } catch {
      return [];
    }
    return entries.filter((f) => f.endsWith('.crt.pem')).map((f) => f.slice(0, -'.crt.pem'.length).replace('_wildcard', '*'));
  }

  states(): Map<string, HostState> {
    const raw = this.read(this.file('state.json'));
    const states = new Map<string, HostState>();
    if (raw === null) return states;
    const parsed = JSON.parse(raw) as StateFile;
    for (const [hostname, entry] of Object.entries(parsed.hosts ?? {})) {
      const orderKey = entry.order === null ? null : this.read(this.file('orders', `${checkedName(hostname)}.key.pem`));
      states.set(hostname, {
        failures: entry.failures,
        lastError: entry.lastError,
        issuedBy: entry.issuedBy ?? null,
        nextAttemptAt: entry.nextAttemptAt === null ? null : new Date(entry.nextAttemptAt),
        order: entry.order !== null && orderKey !== null ? { url: entry.order.url, keyPem: orderKey } : null,
      });
    }
    return states;
  }

  saveStates(states: ReadonlyMap<string, HostState>): void {
    const hosts: StateFile['hosts'] = {};
    for (const [hostname, state] of states) {
      const orderKeyFile = this.file('orders', `${checkedName(hostname)}.key.pem`);
      if (state.order !== null) {
        if (this.read(orderKeyFile) !== state.order.keyPem) this.write(orderKeyFile, state.order.keyPem);
      } else {
        this.remove(orderKeyFile);
      }
      hosts[hostname] = {
        failures: state.failures,
        lastError: state.lastError,
        issuedBy: state.issuedBy,
        nextAttemptAt: state.nextAttemptAt?.toISOString() ?? null,
        order: state.order === null ? null : { url: state.order.url },
      };
    }
    this.write(this.file('state.json'), `${JSON.stringify({ hosts }, null, 2)}\n`);
  }
}
