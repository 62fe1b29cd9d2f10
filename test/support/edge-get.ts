// A GET through Berth's edge on loopback, naming the app by its Host header, without pooling.
import http from 'node:http';

export function edgeGet(port: number, host: string, urlPath = '/', headers: http.OutgoingHttpHeaders = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers: { ...headers, host }, agent: false, timeout: 60_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from the edge for ${host}${urlPath} in 60 s`)));
    req.on('error', reject);
    req.end();
  });
}
