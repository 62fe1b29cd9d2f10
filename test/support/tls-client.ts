// HTTPS to the edge on 127.0.0.1 under a chosen name (SNI and Host), over HTTP/1.1 or HTTP/2,
// reporting the certificate it was served, so tests can check what the edge presents.
import http2 from 'node:http2';
import https from 'node:https';
import type { PeerCertificate, TLSSocket } from 'node:tls';

export interface TlsReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The leaf certificate the edge presented. */
  certificate: { serial: string; issuer: string; validTo: string; names: string };
  /** `h2` or `http/1.1`. */
  protocol: string;
}

export interface TlsCall {
  port: number;
  name: string;
  /** Trusted roots (the test CA's), PEM. */
  ca: string;
  path?: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

function describeCertificate(cert: PeerCertificate): TlsReply['certificate'] {
  return {
    serial: cert.serialNumber,
    issuer: String(cert.issuer?.CN ?? ''),
    validTo: cert.valid_to,
    names: cert.subjectaltname ?? '',
  };
}

export function httpsRequest(call: TlsCall): Promise<TlsReply> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: call.port,
        servername: call.name,
        ca: call.ca,
        method: call.method ?? 'GET',
        path: call.path ?? '/',
        headers: { host: call.name, ...call.headers },
        agent: false,
        // An empty name sends no SNI; the certificate is then checked against the CA only.
        ...(call.name === '' ? { checkServerIdentity: () => undefined } : {}),
        ALPNProtocols: ['http/1.1'],
      } as https.RequestOptions,
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const socket = res.socket as TLSSocket;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            certificate: describeCertificate(socket.getPeerCertificate()),
            protocol: socket.alpnProtocol || 'http/1.1',
          });
        });
      },
    );
    req.on('error', reject);
    req.end(call.body);
  });
}

export function h2Request(call: TlsCall): Promise<TlsReply> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`https://127.0.0.1:${call.port}`, { servername: call.name, ca: call.ca });
    session.on('error', reject);
    const stream = session.request({
      ':method': call.method ?? 'GET',
      ':path': call.path ?? '/',
      ':authority': call.name,
      ...call.headers,
    });
    let status = 0;
    let headers: TlsReply['headers'] = {};
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (h) => {
      status = Number(h[':status']);
      headers = h;
    });
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => {
      const socket = session.socket as TLSSocket;
      const certificate = describeCertificate(socket.getPeerCertificate());
      const protocol = socket.alpnProtocol || '';
      session.close();
      resolve({ status, headers, body, certificate, protocol });
    });
    stream.on('error', reject);
    stream.end(call.body);
  });
}
