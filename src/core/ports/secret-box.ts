// Seals values at rest (secret env vars, share tokens) with Berth's secret key.
export interface SecretBox {
  seal(plain: string): string;
  /** Throws when the value was not sealed with this key or was tampered with. */
  open(sealed: string): string;
}
