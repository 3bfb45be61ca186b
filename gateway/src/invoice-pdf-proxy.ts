import type { Express } from 'express';
import { fileProxy } from './file-proxy.ts';

export { serviceBaseUrl } from './file-proxy.ts';

/** GET /invoices/:id/pdf passed to the billing service (BIL-8). */
export const INVOICE_PDF_PROXY_PATH = '/invoices/:id/pdf';

export function invoicePdfProxy(app: Express, billingGraphqlUrl: string): void {
  fileProxy(app, { path: INVOICE_PDF_PROXY_PATH, graphqlUrl: billingGraphqlUrl, service: 'billing' });
}
