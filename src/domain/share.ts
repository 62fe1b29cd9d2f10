// Public share links: a capability token that lets someone without a key reach a private app.
export interface PublicShare {
  id: string;
  appId: string;
  tokenHash: string;
  /** The plain token, unsealed for display; never logged. */
  token: string;
  requireAuth: boolean;
  expiresAt: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
}
