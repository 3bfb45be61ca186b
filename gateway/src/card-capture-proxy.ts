import type { Express } from 'express';
import { formBody } from '@omurga/shared';
import { serviceBaseUrl } from './file-proxy.ts';

/**
 * /card-capture/… (issue 15) passed to billing: the callback where the
 * payment provider sends the customer's browser back with a session token,
 * and, locally, the sandbox provider's hosted card page. Browser form posts,
 * so GET and POST with small url-encoded bodies; billing answers HTML pages
 * and checks every token itself.
 */
const UPSTREAM_TIMEOUT_MS = 30_000;
const PATHS = /^\/card-capture\/(callback|sandbox\/[A-Za-z0-9-]{16,100}(\/3ds)?)$/;
const RESPONSE_HEADERS = ['content-type', 'cache-control', 'location', 'x-frame-options', 'referrer-policy'] as const;

export function cardCaptureProxy(app: Express, billingGraphqlUrl: string): void {
  const base = serviceBaseUrl(billingGraphqlUrl);
  const body = formBody('8kb', true);
  app.use('/card-capture', body, async (req, res, next) => {
    const url = new URL(req.originalUrl, 'http://gateway');
    if ((req.method !== 'GET' && req.method !== 'POST') || !PATHS.test(url.pathname)) return next();
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'accept-language'] as const) {
      const value = req.get(name);
      if (value) headers[name] = value;
    }
    let upstream: Response;
    try {
      upstream = await fetch(`${base}${url.pathname}${url.search}`, {
        method: req.method,
        headers,
        body: req.method === 'POST' && Buffer.isBuffer(req.body) ? req.body : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
    } catch {
      res.status(502).json({ code: 'BAD_GATEWAY', message: 'The billing service did not answer.' });
      return;
    }
    res.status(upstream.status);
    for (const name of RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) res.set(name, value);
    }
    res.send(Buffer.from(await upstream.arrayBuffer()));
  });
}
