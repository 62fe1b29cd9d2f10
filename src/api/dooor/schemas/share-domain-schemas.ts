// Wire shapes of public shares and custom domains (spec 000).
import { Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from './common.js';

export const CreateShareBody = Type.Object({
  expiresAt: Type.Optional(Nullable(Type.String({ format: 'date-time', description: 'Must be in the future; omit for no expiry' }))),
  requireAuth: Type.Optional(Type.Boolean({ description: 'Viewer must also present a key of the workspace. Default: false' })),
});

export const ShareView = Type.Object({
  id: Type.String(),
  appId: Type.String(),
  token: Type.String(),
  url: Type.String(),
  requireAuth: Type.Boolean(),
  expiresAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

export const ShareParams = Type.Object({
  wsId: Type.String({ maxLength: 200 }),
  appId: Type.String({ maxLength: 200 }),
  shareId: Type.String({ maxLength: 200 }),
});

export const AddDomainBody = Type.Object({
  domain: Type.String({ minLength: 1, maxLength: 253, description: 'Fully qualified domain name, e.g. api.example.com' }),
  targetPort: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 65535 }))),
});

export const DnsRecordView = Type.Object({ type: Type.String(), name: Type.String(), value: Type.String() });

export const DomainView = Type.Object({
  id: Type.String(),
  domain: Type.String(),
  targetPort: Nullable(Type.Integer()),
  verified: Type.Boolean(),
  tlsStatus: Type.String({ description: 'pending (no certificate yet), active (served over HTTPS) or failed (see tlsError)' }),
  tlsError: Nullable(Type.String({ description: 'Why the certificate could not be issued, or why its renewal is failing; for a verified domain on an edge without HTTPS, that no certificate is coming' })),
  tlsExpiresAt: Nullable(Timestamp),
  dnsRecords: Type.Array(DnsRecordView, { description: 'Records to create at your DNS provider (CNAME, or TXT to verify)' }),
  verifiedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

export const DomainParams = Type.Object({
  wsId: Type.String({ maxLength: 200 }),
  appId: Type.String({ maxLength: 200 }),
  domainId: Type.String({ maxLength: 200 }),
});
