// Serves the built front (web/dist) with a single-page fallback, and forwards
// the public API to the gateway on the same origin: /graphql and the file
// routes (invoice and credit-note PDFs and XML, exports, ticket attachments). It also answers the
// RFC 8058 one-click unsubscribe POST that commercial e-mails advertise, by
// calling the public `unsubscribe(token)` mutation. Nothing else reaches the
// services: the front uses only what any API client may use.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface WebServerOptions {
  /** the gateway's origin, e.g. http://127.0.0.1:4000 */
  gatewayOrigin: string;
  distDir: string;
  /** shown to operators as deep links into workflows */
  temporalUiUrl: string;
  temporalNamespace: string;
}

const PROXIED = [
  /^\/graphql$/,
  // invoices and their credit notes (issue 15), as PDF and as UBL-TR XML
  /^\/(invoices|credit-notes)\/[^/]+\/(pdf|ubl)$/,
  /^\/exports\/[^/]+$/,
  /^\/support\/attachments\/[^/]+$/,
  // the payment provider's return to the platform and, locally, the sandbox's hosted card page (issue 15)
  /^\/card-capture\//,
];
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
// Hop-by-hop headers (RFC 9110 §7.6.1) are not forwarded.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'content-length']);

function securityHeaders(res: ServerResponse) {
  res.setHeader('x-content-type-options', 'nosniff');
  // E-mailed links carry tokens in the query: never leak them to other sites.
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
}

function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? '';
}

async function proxy(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name === 'x-forwarded-for') continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // The gateway trusts X-Forwarded-For from loopback proxies only (its login throttling keys on it).
  headers.set('x-forwarded-for', clientIp(req));
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(new URL(req.url ?? '/', origin), {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
      duplex: 'half',
      redirect: 'manual',
    } as RequestInit);
  } catch {
    res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'BAD_GATEWAY', message: 'The API did not answer.' }));
    return;
  }
  const out: Record<string, string> = {};
  upstream.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') out[name] = value;
  });
  res.writeHead(upstream.status, out);
  if (upstream.body) await pipeline(Readable.fromWeb(upstream.body as never), res);
  else res.end();
}

/** RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the link; the token in its query withdraws the consent. */
async function oneClickUnsubscribe(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  req.resume();
  const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  const text = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
  if (!token) return void text(400, 'Missing token.\n');
  try {
    const response = await fetch(new URL('/graphql', origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp(req), 'accept-language': req.headers['accept-language'] ?? 'tr' },
      body: JSON.stringify({ query: 'mutation OneClickUnsubscribe($token: String!) { unsubscribe(token: $token) }', variables: { token } }),
    });
    const body = (await response.json()) as { data?: { unsubscribe?: boolean }; errors?: { message: string }[] };
    if (body.data?.unsubscribe === true) return void text(200, 'Unsubscribed.\n');
    return void text(400, `${body.errors?.[0]?.message ?? 'The link is not valid.'}\n`);
  } catch {
    return void text(502, 'The API did not answer; try again.\n');
  }
}

async function staticFile(req: IncomingMessage, res: ServerResponse, options: WebServerOptions): Promise<void> {
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const resolved = path.resolve(options.distDir, `.${pathname}`);
  const inside = resolved.startsWith(options.distDir + path.sep);
  let file = path.join(options.distDir, 'index.html');
  if (inside) {
    const info = await stat(resolved).catch(() => null);
    if (info?.isFile()) file = resolved;
    else if (path.extname(pathname)) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
  }
  const info = await stat(file).catch(() => null);
  if (!info) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The front is not built yet: run `pnpm --filter @omurga/web build` (./platform start does).\n');
    return;
  }
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeline(createReadStream(file), res);
}

export function createWebServer(options: WebServerOptions): http.Server {
  const config = JSON.stringify({ temporalUiUrl: options.temporalUiUrl.replace(/\/+$/, ''), temporalNamespace: options.temporalNamespace });
  return http.createServer(async (req, res) => {
    securityHeaders(res);
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      if (pathname === '/readyz' || pathname === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      if (pathname === '/config.json') return void res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' }).end(config);
      if (PROXIED.some((p) => p.test(pathname))) return await proxy(req, res, options.gatewayOrigin);
      if (pathname === '/unsubscribe' && req.method === 'POST') return await oneClickUnsubscribe(req, res, options.gatewayOrigin);
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed\n');
      await staticFile(req, res, options);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal error\n');
      else res.destroy(error as Error);
    }
  });
}
