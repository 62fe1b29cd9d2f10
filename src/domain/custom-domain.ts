// A user's own hostname pointed at an app; once verified, the edge gets it a certificate (ACME).
export const tlsStatuses = ['pending', 'active', 'failed'] as const;
export type TlsStatus = (typeof tlsStatuses)[number];

export interface CustomDomain {
  id: string;
  appId: string;
  domain: string;
  targetPort: number | null;
  verified: boolean;
  tlsStatus: TlsStatus;
  verificationToken: string;
  createdAt: Date;
  verifiedAt: Date | null;
  /** Why the certificate could not be issued (failed), or why its renewal keeps failing (active). */
  tlsError: string | null;
  /** When the served certificate expires. */
  tlsExpiresAt: Date | null;
}

/** A domain's certificate as the edge reports it. */
export interface DomainTls {
  status: TlsStatus;
  error: string | null;
  expiresAt: Date | null;
}
