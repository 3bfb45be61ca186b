import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Express } from 'express';

/**
 * Clients download invoice PDFs (BIL-8) from the gateway, the one public
 * address: GET /invoices/:id/pdf is passed to the billing service, which
 * authenticates the caller and checks access itself.
 */
export const INVOICE_PDF_PROXY_PATH = '/invoices/:id/pdf';

const REQUEST_HEADERS = ['authorization', 'accept-language'] as const;
const RESPONSE_HEADERS = ['content-type', 'content-length', 'content-disposition', 'cache-control', 'www-authenticate', 'x-content-type-options'] as const;
const UPSTREAM_TIMEOUT_MS = 30_000;

/** The billing service's base URL from its GraphQL URL (http://host:4002/graphql → http://host:4002). */
export function serviceBaseUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/\/graphql\/?$/, '').replace(/\/$/, '');
}

export function invoicePdfProxy(app: Express, billingGraphqlUrl: string): void {
  const base = serviceBaseUrl(billingGraphqlUrl);
  app.get(INVOICE_PDF_PROXY_PATH, async (req, res) => {
    const headers: Record<string, string> = {};
    for (const name of REQUEST_HEADERS) {
      const value = req.get(name);
      if (value) headers[name] = value;
    }
    let upstream: Response;
    try {
      upstream = await fetch(`${base}/invoices/${encodeURIComponent(req.params.id)}/pdf`, {
        headers,
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
    if (!upstream.body) {
      res.end();
      return;
    }
    try {
      await pipeline(Readable.fromWeb(upstream.body as NodeReadableStream<Uint8Array>), res);
    } catch {
      res.destroy(); // the upstream broke off mid-file: do not let the client take a truncated PDF as whole
    }
  });
}
