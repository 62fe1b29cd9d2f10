// The edge's own answers when it cannot hand a request to an app: small, fixed pages (HTML for
// browsers, plain text otherwise), built once, never echoing the request or an internal detail.
import type { AppRoute } from '../core/ports/route-table.js';
import type { ClientExchange, RequestFacts } from './front/client-exchange.js';

export type EdgeErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'bad_gateway'
  | 'no_instance'
  | 'stopped'
  | 'worker'
  | 'cron'
  | 'auth_unavailable'
  | 'gateway_timeout';

interface PageText {
  status: number;
  title: string;
  message: string;
}

const texts: Record<EdgeErrorKind, PageText> = {
  bad_request: { status: 400, title: 'Bad request', message: 'The request could not be understood.' },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    message: 'This app is private. Send an API key of its workspace, or open a valid share link.',
  },
  not_found: {
    status: 404,
    title: 'No app here',
    message: 'No app answers at this address. Check the URL or the app’s domain settings.',
  },
  bad_gateway: {
    status: 502,
    title: 'Bad gateway',
    message: 'The app did not answer properly. Try again in a moment.',
  },
  no_instance: {
    status: 503,
    title: 'App unavailable',
    message: 'The app has no instance ready to serve this request. Try again in a moment.',
  },
  stopped: {
    status: 503,
    title: 'App stopped',
    message: 'This app is not running: it is scaled to zero instances. It answers again once it is started.',
  },
  // As Heroku's "no web processes running": a 503 that says retrying will not help.
  worker: {
    status: 503,
    title: 'Not a web app',
    message: 'This app is a worker: it runs in the background and takes no HTTP requests, so nothing answers at this address.',
  },
  cron: {
    status: 503,
    title: 'Not a web app',
    message: 'This app is a cron job: it runs on a schedule and takes no HTTP requests, so nothing answers at this address.',
  },
  auth_unavailable: {
    status: 503,
    title: 'Service unavailable',
    message: 'Access could not be checked right now. Try again in a moment.',
  },
  gateway_timeout: { status: 504, title: 'Gateway timeout', message: 'The app took too long to answer.' },
};

const style =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#222}' +
  'h1{font-size:1.4rem;margin:0 0 .5rem}p{color:#555}footer{margin-top:2rem;color:#999;font-size:.8rem}';

interface Page {
  status: number;
  html: Buffer;
  text: Buffer;
}

function build(text: PageText): Page {
  const heading = `${text.status} · ${text.title}`;
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${heading}</title><style>${style}</style></head><body><h1>${heading}</h1><p>${text.message}</p>` +
    `<footer>Berth edge</footer></body></html>\n`;
  return { status: text.status, html: Buffer.from(html), text: Buffer.from(`${heading}\n${text.message}\n`) };
}

const pages = Object.fromEntries(Object.entries(texts).map(([kind, text]) => [kind, build(text)])) as Record<
  EdgeErrorKind,
  Page
>;

function wantsHtml(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('text/html');
}

function headersFor(kind: EdgeErrorKind, html: boolean, length: number): string[] {
  const headers = [
    'content-type',
    html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
    'content-length',
    String(length),
    'cache-control',
    'no-store',
    'x-content-type-options',
    'nosniff',
  ];
  if (kind === 'unauthorized') headers.push('www-authenticate', 'Bearer realm="berth"');
  return headers;
}

/** Why an app's request found no instance to take it, as the route table tells it. */
export function unservedKind(route: Pick<AppRoute, 'stopped' | 'noHttp'>): EdgeErrorKind {
  if (route.noHttp !== undefined) return route.noHttp;
  return route.stopped === true ? 'stopped' : 'no_instance';
}

export function statusOf(kind: EdgeErrorKind): number {
  return pages[kind].status;
}

/** Answers an HTTP request with the page; does nothing if a response has already begun. */
export function sendErrorPage(client: ClientExchange, kind: EdgeErrorKind): void {
  if (client.headersSent) {
    client.destroy();
    return;
  }
  const page = pages[kind];
  const html = wantsHtml(client.headers.accept);
  const body = html ? page.html : page.text;
  client.writeHead(page.status, headersFor(kind, html, body.length));
  client.end(body);
}

/** The page as raw HTTP/1.1 bytes, for a socket taken over by an upgrade request. */
export function rawErrorResponse(req: { headers: RequestFacts }, kind: EdgeErrorKind): Buffer {
  const page = pages[kind];
  const html = wantsHtml(req.headers.accept);
  const body = html ? page.html : page.text;
  const head = [`HTTP/1.1 ${page.status} ${texts[kind].title}`, 'connection: close'];
  const headers = headersFor(kind, html, body.length);
  for (let i = 0; i < headers.length; i += 2) head.push(`${headers[i]}: ${headers[i + 1]}`);
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]);
}
