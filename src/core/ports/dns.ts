// DNS look-ups for custom-domain verification; tests pass their own answers.
export interface DnsResolver {
  /** CNAME targets, lower-case without trailing dot; empty when none. */
  cname(hostname: string): Promise<string[]>;
  txt(hostname: string): Promise<string[]>;
}
