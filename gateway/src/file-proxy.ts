import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Express } from 'express';

/**
 * Files are downloaded from the gateway, the one public address, and passed
 * through to the subgraph that owns them, which authenticates the caller and
 * checks access itself: invoice PDFs (billing, BIL-8), ticket attachments
 * (support, SUP-1) and data exports (consent, CON-5/CON-9).
 */
export interface FileRoute {
  /** express path with one `:id` parameter; the same path on the subgraph */
  path: string;
  /** the subgraph's GraphQL URL */
  graphqlUrl: string;
  /** named in the 502 answer */
  service: string;
}

const REQUEST_HEADERS = ['authorization', 'accept-language'] as const;
const RESPONSE_HEADERS = ['content-type', 'content-length', 'content-disposition', 'cache-control', 'www-authenticate', 'x-content-type-options'] as const;
const UPSTREAM_TIMEOUT_MS = 30_000;
const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** The service's base URL from its GraphQL URL (http://host:4002/graphql → http://host:4002). */
export function serviceBaseUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/\/graphql\/?$/, '').replace(/\/$/, '');
}

export function fileProxy(app: Express, route: FileRoute): void {
  const base = serviceBaseUrl(route.graphqlUrl);
  app.get(route.path, async (req, res) => {
    // Only object ids go upstream: nothing like '..' reaches another path of the service.
    if (!OBJECT_ID.test(String(req.params.id))) {
      res.status(404).json({ code: 'NOT_FOUND', message: 'Not found.' });
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of REQUEST_HEADERS) {
      const value = req.get(name);
      if (value) headers[name] = value;
    }
    const path = route.path.replace(':id', encodeURIComponent(String(req.params.id)));
    let upstream: Response;
    try {
      upstream = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
    } catch {
      res.status(502).json({ code: 'BAD_GATEWAY', message: `The ${route.service} service did not answer.` });
      return;
    }
    res.status(upstream.status);
    for (const name of RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) res.set(name, value);
    }
    if (!upstream.body) {
      res.end();
      return;
    }
    try {
      await pipeline(Readable.fromWeb(upstream.body as NodeReadableStream<Uint8Array>), res);
    } catch {
      res.destroy(); // the upstream broke off mid-file: do not let the client take a truncated file as whole
    }
  });
}

/** The gateway's file routes, by the subgraph URLs of the configuration. */
export function fileRoutes(urls: { billing: string; support: string; consent: string }): FileRoute[] {
  return [
    { path: '/invoices/:id/pdf', graphqlUrl: urls.billing, service: 'billing' },
    { path: '/invoices/:id/ubl', graphqlUrl: urls.billing, service: 'billing' },
    { path: '/credit-notes/:id/pdf', graphqlUrl: urls.billing, service: 'billing' },
    { path: '/credit-notes/:id/ubl', graphqlUrl: urls.billing, service: 'billing' },
    { path: '/support/attachments/:id', graphqlUrl: urls.support, service: 'support' },
    { path: '/exports/:id', graphqlUrl: urls.consent, service: 'consent' },
  ];
}
