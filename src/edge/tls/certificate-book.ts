// The certificates the edge serves, by hostname, for SNI: exact names first, then wildcards
// (`*.apps.example.com` covers one label). Replaced whole when the set changes; secure contexts
// are built once per certificate and reused across replacements.
import tls from 'node:tls';

/** One certificate (PEM, leaf first, then its chain) and its key, for the names it covers. */
export interface ServedCertificate {
  hostnames: readonly string[];
  certPem: string;
  keyPem: string;
}

export interface TlsMaterial {
  certificates: readonly ServedCertificate[];
  /** Served to clients that send no server name (the operator's certificate, if any). */
  fallback: ServedCertificate | null;
}

interface Entry {
  pem: string;
  context: tls.SecureContext;
}

/** TLS settings shared by every certificate: TLS 1.2 and 1.3 (Node's defaults), HTTP/2-safe ciphers. */
const minVersion: tls.SecureVersion = 'TLSv1.2';

export class CertificateBook {
  private exact = new Map<string, Entry>();
  private wildcard = new Map<string, Entry>();
  private byPem = new Map<string, Entry>();

  /** Swaps in a new set; unchanged certificates keep their secure contexts. */
  replace(material: TlsMaterial): void {
    const exact = new Map<string, Entry>();
    const wildcard = new Map<string, Entry>();
    const byPem = new Map<string, Entry>();
    for (const certificate of material.certificates) {
      const pem = certificate.certPem + certificate.keyPem;
      let entry = byPem.get(pem) ?? this.byPem.get(pem);
      if (entry === undefined) {
        const context = tls.createSecureContext({ cert: certificate.certPem, key: certificate.keyPem, minVersion });
        entry = { pem, context };
      }
      byPem.set(pem, entry);
      for (const name of certificate.hostnames) {
        const lower = name.toLowerCase();
        if (lower.startsWith('*.')) wildcard.set(lower.slice(2), entry);
        else exact.set(lower, entry);
      }
    }
    this.exact = exact;
    this.wildcard = wildcard;
    this.byPem = byPem;
  }

  /** The context for a server name, or undefined when the edge holds no certificate for it. */
  contextFor(servername: string): tls.SecureContext | undefined {
    const name = servername.toLowerCase().replace(/\.$/, '');
    const found = this.exact.get(name);
    if (found !== undefined) return found.context;
    const dot = name.indexOf('.');
    return dot > 0 ? this.wildcard.get(name.slice(dot + 1))?.context : undefined;
  }

  /** Whether requests for this hostname can be sent to HTTPS. */
  covers(hostname: string): boolean {
    return this.contextFor(hostname) !== undefined;
  }

  /** For the TLS server's SNICallback. */
  readonly sni = (servername: string, callback: (error: Error | null, context?: tls.SecureContext) => void): void => {
    const context = this.contextFor(servername);
    if (context === undefined) callback(new Error(`no certificate for ${servername}`));
    else callback(null, context);
  };
}
