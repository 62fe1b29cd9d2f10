// A user's own hostname pointed at an app. Verification and TLS come with the edge's ACME work.
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
}
