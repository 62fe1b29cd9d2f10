// Bodies stream through the edge in both directions (no buffering), and WebSocket upgrades are
// tunnelled to the app, with the same host rules as plain requests.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { Edge } from '../../src/edge/create-edge.js';
import { aTable, aTarget, anApp, startEdge, startUpstream, type Upstream } from './helpers.js';
import { edgeModes, useEdgeWorkers } from './helpers.js';

let app: Upstream;
let wss: WebSocketServer;
let edge: Edge;
let port: number;
/** Resolved by the test when the client has seen the first chunk; the app holds its second chunk until then. */
let firstChunkSeen: () => void = () => {};
let firstUploadChunk: (chunk: string) => void = () => {};

describe.each(edgeModes)('streaming ($name)', ({ workers }) => {
  beforeAll(() => useEdgeWorkers(workers));

  beforeAll(async () => {
    app = await startUpstream((req, res) => {
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first|');
        new Promise<void>((resolve) => (firstChunkSeen = resolve)).then(
          () => res.end('second'),
          () => res.destroy(),
        );
        return;
      }
      if (req.url === '/upload') {
        let received = '';
        req.setEncoding('utf8');
        req.once('data', (chunk: string) => firstUploadChunk(chunk));
        req.on('data', (chunk: string) => (received += chunk));
        req.on('end', () => res.end(`got:${received}`));
        return;
      }
      res.end('plain');
    });
    wss = new WebSocketServer({ server: app.server });
    wss.on('connection', (socket, req) => {
      socket.send(`hello ${String(req.headers['x-forwarded-host'])}`);
      socket.on('message', (data) => socket.send(`echo:${String(data)}`));
    });
    ({ edge, port } = await startEdge());
    await edge.setRoutes(
      aTable([
        anApp({ slug: 'live', targets: [aTarget('live-00001', [app.port])] }),
        anApp({ slug: 'down', targets: [aTarget('down-00001', [])] }),
        anApp({ slug: 'secret', visibility: 'private', targets: [aTarget('secret-00001', [app.port])] }),
      ]),
    );
  });

  afterAll(async () => {
    await edge.close();
    for (const client of wss.clients) client.terminate();
    wss.close();
    await app.close();
  });

  describe('streaming', () => {
    it('delivers the first chunk of a response before the app has finished it', async () => {
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/stream', headers: { host: 'live.apps.test' }, agent: false },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
              // The app only finishes once this first chunk has crossed the edge.
              if (text === 'first|') firstChunkSeen();
            });
            res.on('end', () => resolve(text));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe('first|second');
    });

    it('delivers the first chunk of a request body before the client has finished sending it', async () => {
      const reply = await new Promise<string>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/upload',
            headers: { host: 'live.apps.test', 'transfer-encoding': 'chunked' },
            agent: false,
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        // The client only sends the rest once the app has received the first part.
        firstUploadChunk = (chunk) => {
          expect(chunk).toBe('part-one;');
          req.end('part-two');
        };
        req.write('part-one;');
      });
      expect(reply).toBe('got:part-one;part-two');
    });
  });

  function openSocket(host: string, headers: Record<string, string> = {}): WebSocket {
    return new WebSocket(`ws://127.0.0.1:${port}/chat`, { headers: { ...headers, host } });
  }

  function nextMessage(socket: WebSocket): Promise<string> {
    return new Promise((resolve, reject) => {
      socket.once('message', (data) => resolve(String(data)));
      socket.once('error', reject);
    });
  }

  function refusal(socket: WebSocket): Promise<number> {
    return new Promise((resolve) => socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  }

  describe('WebSocket pass-through', () => {
    it('tunnels a WebSocket to the app and echoes messages both ways', async () => {
      const socket = openSocket('live.apps.test');
      expect(await nextMessage(socket)).toBe('hello live.apps.test');
      const replies: string[] = [];
      for (const text of ['one', 'two', 'three']) {
        socket.send(text);
        replies.push(await nextMessage(socket));
      }
      expect(replies).toEqual(['echo:one', 'echo:two', 'echo:three']);
      expect((await edge.stats()).openTunnels).toBe(1);
      socket.close();
      await new Promise((resolve) => socket.once('close', resolve));
    });

    it.each([
      { host: 'nowhere.apps.test', status: 404 },
      { host: 'down.apps.test', status: 503 },
      { host: 'secret.apps.test', status: 401 },
    ])('refuses an upgrade for $host with $status', async ({ host, status }) => {
      const socket = openSocket(host);
      socket.on('error', () => {
        // Expected: the handshake is refused.
      });
      expect(await refusal(socket)).toBe(status);
    });
  });
});
