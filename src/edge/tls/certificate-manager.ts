// Keeps a certificate for every verified custom domain in the route table: obtains one when
// the domain appears, renews it before it expires, backs off after failures (state kept on
// disk, so a restart neither loops nor forgets), revokes and deletes it when the domain goes,
// and tells the store each domain's status. One issuance at a time. The operator's own
// certificate (e.g. `*.apps.example.com`) is served for the names it covers.
import type { DomainTls } from '../../domain/custom-domain.js';
import type { EdgeLogger } from '../edge-context.js';
import { AcmeIssuer, retryAfterMs, type AcmeSettings } from './acme-issuer.js';
import type { ServedCertificate, TlsMaterial } from './certificate-book.js';
import { backoffMs, nextStep, noAttempts, statusOf } from './renewal-plan.js';
import { certificateDates, certificateNames, TlsFiles, type HostState, type StoredCertificate } from './tls-files.js';

export interface CertificateManagerOptions {
  /** Berth's `{dataDir}/tls`. */
  dir: string;
  /** Null: no ACME (only the operator's certificate is served). */
  acme: (AcmeSettings & { retryBaseMs: number }) | null;
  operator: { certPem: string; keyPem: string } | null;
  /** The store's copy of each domain's status (errors are logged, not retried). */
  onStatus(hostname: string, tls: DomainTls): Promise<void>;
  logger: EdgeLogger;
  now?: () => Date;
}

/** What the manager drives: the edge processes that serve certificates and challenge answers. */
export interface CertificateSink {
  setTls(material: TlsMaterial): void;
  /** Resolves once every serving process answers with them. */
  setChallenges(answers: ReadonlyMap<string, string>): Promise<void>;
}

export interface CertificateManager {
  start(sink: CertificateSink): void;
  /** The verified custom domains the route table holds now. */
  setDomains(hostnames: Iterable<string>): void;
  stop(): Promise<void>;
}

const maxWaitMs = 60 * 60_000;
const maxErrorLength = 500;

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, maxErrorLength) || 'unknown error';
}

export function createCertificateManager(options: CertificateManagerOptions): CertificateManager {
  const now = options.now ?? (() => new Date());
  const files = new TlsFiles(options.dir);
  files.ensureDir();
  const issuer = options.acme === null ? null : new AcmeIssuer(options.acme, files, options.logger);
  const operator: ServedCertificate | null =
    options.operator === null ? null : { hostnames: certificateNames(options.operator.certPem), ...options.operator };
  const operatorDates = options.operator === null ? null : certificateDates(options.operator.certPem);
  const states = files.states();
  const certs = new Map<string, StoredCertificate>();
  for (const host of files.certificateHosts()) {
    const stored = files.certificate(host);
    if (stored !== null) certs.set(host, stored);
  }
  const challenges = new Map<string, string>();
  const reported = new Map<string, string>();
  let desired: Set<string> | null = null;
  let sink: CertificateSink | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const stateOf = (host: string): HostState => states.get(host) ?? { ...noAttempts, order: null, issuedBy: null };

  function publish(): void {
    const certificates: ServedCertificate[] = [];
    if (operator !== null) certificates.push(operator);
    for (const [host, cert] of certs) certificates.push({ hostnames: [host], certPem: cert.certPem, keyPem: cert.keyPem });
    sink?.setTls({ certificates, fallback: operator });
  }

  function coveredByOperator(host: string): boolean {
    return operator?.hostnames.some((name) => name === host || (name.startsWith('*.') && host.slice(host.indexOf('.') + 1) === name.slice(2))) ?? false;
  }

  function tlsOf(host: string): DomainTls {
    const cert = certs.get(host) ?? null;
    if (cert === null && coveredByOperator(host)) return statusOf(operatorDates, noAttempts, now());
    if (cert === null && issuer === null)
      return { status: 'failed', error: 'automatic certificates are off (BERTH_ACME_DIRECTORY_URL=off) and no configured certificate covers this name', expiresAt: null };
    return statusOf(cert, stateOf(host), now());
  }

  function report(host: string): void {
    const tls = tlsOf(host);
    const key = `${tls.status}|${tls.error ?? ''}|${tls.expiresAt?.toISOString() ?? ''}`;
    if (reported.get(host) === key) return;
    reported.set(host, key);
    options.onStatus(host, tls).catch((error: unknown) => {
      reported.delete(host);
      options.logger.warn({ hostname: host, err: describe(error) }, 'edge could not record a certificate status');
    });
  }

  function saveStates(): void {
    files.saveStates(states);
  }

  const board = {
    async put(token: string, keyAuthorization: string): Promise<void> {
      challenges.set(token, keyAuthorization);
      await sink?.setChallenges(new Map(challenges));
    },
    remove(token: string): void {
      challenges.delete(token);
      void sink?.setChallenges(new Map(challenges));
    },
  };

  async function obtain(host: string): Promise<void> {
    if (issuer === null) return;
    const state = stateOf(host);
    try {
      const obtained = await issuer.obtain(host, state.order, {
        saveOrder(order) {
          states.set(host, { ...stateOf(host), order });
          saveStates();
        },
        challenges: board,
      });
      // Stopped: the saved order is picked up by the next start. Removed meanwhile: nothing to keep.
      if (stopped || desired?.has(host) !== true) return;
      files.saveCertificate(host, obtained.certPem, obtained.keyPem);
      const stored = files.certificate(host);
      if (stored !== null) certs.set(host, stored);
      states.set(host, { ...noAttempts, order: null, issuedBy: obtained.orderUrl });
      saveStates();
      publish();
      options.logger.info({ hostname: host, expiresAt: stored?.notAfter.toISOString() }, 'edge obtained a certificate');
    } catch (error) {
      if (stopped) return;
      const failures = state.failures + 1;
      const delay = backoffMs(failures, options.acme?.retryBaseMs ?? 600_000, retryAfterMs(error));
      const reason = describe(error);
      states.set(host, {
        ...stateOf(host),
        failures,
        lastError: reason,
        nextAttemptAt: new Date(now().getTime() + delay),
      });
      saveStates();
      options.logger.warn({ hostname: host, failures, retryInMs: delay, err: reason }, 'edge could not obtain a certificate');
    }
    report(host);
  }

  async function forget(host: string): Promise<void> {
    const cert = certs.get(host);
    certs.delete(host);
    states.delete(host);
    reported.delete(host);
    files.removeCertificate(host);
    saveStates();
    publish();
    if (cert !== undefined && issuer !== null && cert.notAfter > now()) {
      try {
        await issuer.revoke(cert.certPem);
        options.logger.info({ hostname: host, serial: cert.serial }, 'edge revoked the certificate of a removed domain');
      } catch (error) {
        options.logger.warn({ hostname: host, err: describe(error) }, 'edge could not revoke a certificate');
      }
    }
  }

  /** One pass over every domain: removals, then what is due; then sleep until the next thing is. */
  async function pass(): Promise<void> {
    const wanted = desired;
    if (wanted === null) return;
    for (const host of [...new Set([...certs.keys(), ...states.keys()])]) if (!wanted.has(host)) await forget(host);
    let wake = now().getTime() + maxWaitMs;
    for (const host of [...wanted].sort()) {
      if (stopped) return;
      report(host);
      if (issuer === null || (coveredByOperator(host) && !certs.has(host))) continue;
      const step = nextStep(certs.get(host) ?? null, stateOf(host), now());
      if (step.kind === 'obtain') {
        await obtain(host);
        const after = nextStep(certs.get(host) ?? null, stateOf(host), now());
        if (after.kind === 'wait') wake = Math.min(wake, after.until.getTime());
      } else {
        wake = Math.min(wake, step.until.getTime());
      }
    }
    schedule(Math.max(0, wake - now().getTime()));
  }

  function schedule(ms: number): void {
    if (timer !== null) clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(kick, Math.min(ms, maxWaitMs) + 50);
    timer.unref();
  }

  function kick(): void {
    if (stopped || sink === null) return;
    if (running !== null) {
      again = true;
      return;
    }
    running = pass()
      .catch((error: unknown) => options.logger.error({ err: describe(error) }, 'edge certificate pass failed'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  return {
    start(target) {
      sink = target;
      publish();
      kick();
    },

    setDomains(hostnames) {
      const next = new Set([...hostnames].map((h) => h.toLowerCase()));
      const same = desired !== null && desired.size === next.size && [...next].every((h) => desired?.has(h));
      if (same) return;
      desired = next;
      kick();
    },

    async stop() {
      // An order in progress is left to finish on its own or be resumed by the next start.
      stopped = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
