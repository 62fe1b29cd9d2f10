// Obtains certificates from an ACME CA (Let's Encrypt by default) with acme-client, answering
// HTTP-01 through the edge itself. An order is saved before its challenges are answered, so a
// Berth restarted mid-order picks the same order up (no second order, no extra rate-limit use).
import https from 'node:https';
import type acmeModule from 'acme-client';
import type { Client, Order } from 'acme-client';
import type { EdgeLogger } from '../edge-context.js';
import type { PendingOrder, TlsFiles } from './tls-files.js';

export interface AcmeSettings {
  directoryUrl: string;
  /** Account contact; optional for Let's Encrypt. */
  email: string | null;
  /** CAs that sign the ACME server's own HTTPS certificate, when not a public one (a test CA). */
  caPem: string | null;
}

/** Where HTTP-01 answers go; put() resolves once the edge serves the answer. */
export interface ChallengeBoard {
  put(token: string, keyAuthorization: string): Promise<void>;
  remove(token: string): void;
}

export interface ObtainHooks {
  /** Called once an order exists (before any challenge is answered), to persist it. */
  saveOrder(order: PendingOrder): void;
  challenges: ChallengeBoard;
}

export interface Obtained {
  certPem: string;
  keyPem: string;
  orderUrl: string;
}

/** An ACME error answered with Retry-After (rate limits), in ms; null when none. */
export function retryAfterMs(error: unknown): number | null {
  const header = (error as { response?: { headers?: Record<string, string> } }).response?.headers?.['retry-after'];
  if (header === undefined) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

type Acme = typeof acmeModule;

/** acme-client and its dependencies (axios, forge, x509) load on first use: a Berth without ACME never pays their memory. */
let loaded: Promise<Acme> | null = null;
function loadAcme(): Promise<Acme> {
  loaded ??= import('acme-client').then((module) => module.default);
  return loaded;
}

/** acme-client's polls answer the CA's order object, which has no URL of its own: put it back. */
function withUrl(order: Order, url: string): Order {
  return { ...order, url };
}

export class AcmeIssuer {
  private client: Client | null = null;
  private acme: Acme | null = null;

  constructor(
    private readonly settings: AcmeSettings,
    private readonly files: TlsFiles,
    private readonly logger: EdgeLogger,
  ) {}

  private async library(): Promise<Acme> {
    if (this.acme !== null) return this.acme;
    const acme = await loadAcme();
    if (this.settings.caPem !== null) acme.axios.defaults.httpsAgent = new https.Agent({ ca: this.settings.caPem });
    this.acme = acme;
    return acme;
  }

  /** The account client: its key is made once and kept in the data dir; the account is registered once per directory. */
  private async account(): Promise<Client> {
    if (this.client !== null) return this.client;
    const acme = await this.library();
    let accountKey = this.files.accountKey();
    if (accountKey === null) {
      accountKey = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
      this.files.saveAccountKey(accountKey);
    }
    const { directoryUrl } = this.settings;
    const accountUrl = this.files.accountUrl(directoryUrl);
    const client = new acme.Client({
      directoryUrl,
      accountKey,
      ...(accountUrl === null ? {} : { accountUrl }),
      backoffAttempts: 12,
      backoffMin: 500,
      backoffMax: 10_000,
    });
    if (accountUrl === null) {
      await client.createAccount({
        termsOfServiceAgreed: true,
        ...(this.settings.email === null ? {} : { contact: [`mailto:${this.settings.email}`] }),
      });
      this.files.saveAccountUrl(directoryUrl, client.getAccountUrl());
      this.logger.info({ directoryUrl }, 'edge registered an ACME account');
    }
    this.client = client;
    return client;
  }

  /** The saved order when it can still complete; null when a new one is needed. */
  private async resume(client: Client, pending: PendingOrder | null): Promise<Order | null> {
    if (pending === null) return null;
    try {
      const order = await client.getOrder({ url: pending.url } as Order);
      if (order.status === 'invalid') return null;
      if (order.expires !== undefined && new Date(order.expires) <= new Date()) return null;
      return order;
    } catch {
      return null;
    }
  }

  async obtain(hostname: string, pending: PendingOrder | null, hooks: ObtainHooks): Promise<Obtained> {
    const client = await this.account();
    const acme = await this.library();
    let order = await this.resume(client, pending);
    let keyPem = pending?.keyPem ?? '';
    if (order === null) {
      keyPem = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
      order = await client.createOrder({ identifiers: [{ type: 'dns', value: hostname }] });
      hooks.saveOrder({ url: order.url, keyPem });
    } else {
      this.logger.info({ hostname, order: order.url, status: order.status }, 'edge resumed an ACME order');
    }

    const orderUrl = order.url;
    if (order.status === 'pending') {
      for (const authz of await client.getAuthorizations(order)) {
        if (authz.status === 'valid') continue;
        const challenge = authz.challenges.find((c) => c.type === 'http-01');
        if (challenge === undefined) throw new Error(`the CA offered no http-01 challenge for ${hostname}`);
        const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
        await hooks.challenges.put(challenge.token, keyAuthorization);
        try {
          if (challenge.status === 'pending') await client.completeChallenge(challenge);
          await client.waitForValidStatus(challenge);
        } finally {
          hooks.challenges.remove(challenge.token);
        }
      }
      order = withUrl(await client.waitForValidStatus(order), orderUrl);
    }
    if (order.status === 'pending' || order.status === 'ready') {
      const [, csr] = await acme.crypto.createCsr({ commonName: hostname, altNames: [hostname] }, keyPem);
      order = withUrl(await client.finalizeOrder(order, csr), orderUrl);
    }
    // A busy CA answers finalize `processing`: getCertificate polls the order (by its URL) until signed.
    const certPem = await client.getCertificate(order);
    return { certPem, keyPem, orderUrl };
  }

  /** Revokes a certificate this account obtained (the domain is gone: cessation of operation). */
  async revoke(certPem: string): Promise<void> {
    const client = await this.account();
    await client.revokeCertificate(certPem, { reason: 5 });
  }
}
