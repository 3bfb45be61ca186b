import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Types } from 'mongoose';
import type { AccessTokenClaims, TokenVerifier } from '@omurga/shared';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoicePdfProxy, serviceBaseUrl } from '../../../../../gateway/src/invoice-pdf-proxy.ts';
import { invoicePdfRoutes, type InvoicePdfRouteDeps } from '../../../src/invoices/pdf-route.ts';
import type { BillingModels, InvoiceDoc } from '../../../src/models/index.ts';

// The express the services' HTTP servers are built with (billing has no direct dependency on it).
const express = createRequire(fileURLToPath(new URL('../../../../../packages/shared/package.json', import.meta.url)))('express') as () => Express;

const ORG = 'org-a';
const OTHER_ORG = 'org-b';
const invoice = {
  _id: new Types.ObjectId(),
  organizationId: ORG,
  number: 'OMR2026000000007',
} as unknown as InvoiceDoc;

const claims = (c: Partial<AccessTokenClaims> & Pick<AccessTokenClaims, 'kind'>): AccessTokenClaims => ({ sub: 'u1', orgs: [], opr: [], scp: [], ...c });
const TOKENS: Record<string, AccessTokenClaims> = {
  owner: claims({ kind: 'user', orgs: [{ id: ORG, role: 'OWNER' }] }),
  admin: claims({ kind: 'user', orgs: [{ id: ORG, role: 'ADMIN' }] }),
  billing: claims({ kind: 'user', orgs: [{ id: ORG, role: 'BILLING' }] }),
  agent: claims({ kind: 'user', orgs: [{ id: ORG, role: 'AGENT' }] }),
  readOnly: claims({ kind: 'user', orgs: [{ id: ORG, role: 'READ_ONLY' }] }),
  outsider: claims({ kind: 'user', orgs: [{ id: OTHER_ORG, role: 'OWNER' }] }),
  billingAdmin: claims({ kind: 'operator', opr: ['BILLING_ADMIN'] }),
  superAdmin: claims({ kind: 'operator', opr: ['SUPER_ADMIN'] }),
  supportAgent: claims({ kind: 'operator', opr: ['SUPPORT_AGENT'] }),
  partner: claims({ kind: 'partner', porg: ORG, scp: ['invoices:read'] }),
};
const verify: TokenVerifier = async (token) => {
  const found = TOKENS[token];
  if (!found) throw new Error('bad token');
  return found;
};

const rendered: { locale: string }[] = [];
const deps: InvoicePdfRouteDeps = {
  models: {
    Invoice: {
      findById: (id: string) => ({ lean: async () => (id === invoice._id.toString() ? invoice : null) }),
    },
  } as unknown as Pick<BillingModels, 'Invoice'>,
  verify,
  render: async (doc, locale) => {
    rendered.push({ locale });
    return Buffer.from(`%PDF-1.3 ${doc.number} %%EOF`);
  },
};

async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let billing: { server: Server; url: string };
let gateway: { server: Server; url: string };

beforeAll(async () => {
  const billingApp = express();
  invoicePdfRoutes(deps)(billingApp);
  billing = await listen(billingApp);
  const gatewayApp = express();
  invoicePdfProxy(gatewayApp, `${billing.url}/graphql`);
  gateway = await listen(gatewayApp);
});

afterAll(async () => {
  for (const { server } of [gateway, billing]) await new Promise((resolve) => server.close(resolve));
});

const pdfPath = (id = invoice._id.toString()) => `/invoices/${id}/pdf`;
const get = (base: string, path: string, token?: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

describe('GET /invoices/:id/pdf on billing (BIL-8)', () => {
  it.each(['owner', 'admin', 'billing', 'billingAdmin', 'superAdmin'])('lets %s download the PDF', async (who) => {
    const response = await get(billing.url, pdfPath(), who);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=OMR2026000000007.pdf');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.text()).toBe('%PDF-1.3 OMR2026000000007 %%EOF');
  });

  it('asks for a token when there is none (401 UNAUTHENTICATED)', async () => {
    const response = await get(billing.url, pdfPath());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it.each([
    ['a token that does not verify', { authorization: 'Bearer forged' }],
    ['a non-bearer authorization', { authorization: 'Basic b3duZXI6eA==' }],
  ])('refuses %s (401)', async (_, headers) => {
    const response = await get(billing.url, pdfPath(), undefined, headers);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it.each([
    ['another organisation’s member', 'outsider', pdfPath()],
    ['a partner key', 'partner', pdfPath()],
    ['an unknown id', 'owner', pdfPath(new Types.ObjectId().toString())],
    ['a malformed id', 'owner', pdfPath('not-an-id')],
  ])('answers 404 NOT_FOUND for %s, so invoices cannot be enumerated', async (_, who, path) => {
    const response = await get(billing.url, path, who);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each(['agent', 'readOnly', 'supportAgent'])('forbids %s, who may see the organisation but not its invoices (403)', async (who) => {
    const response = await get(billing.url, pdfPath(), who);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('renders in the language of Accept-Language', async () => {
    rendered.length = 0;
    await get(billing.url, pdfPath(), 'owner', { 'accept-language': 'en-US,en;q=0.9' });
    await get(billing.url, pdfPath(), 'owner', { 'accept-language': 'tr-TR' });
    await get(billing.url, pdfPath(), 'owner');
    expect(rendered.map((r) => r.locale)).toEqual(['en', 'tr', 'tr']);
  });

  it('answers errors in the caller’s language', async () => {
    const response = await get(billing.url, pdfPath('x'), 'owner', { 'accept-language': 'en' });
    expect(await response.json()).toEqual({ code: 'NOT_FOUND', message: 'Invoice not found.' });
  });

  it('answers 500 INTERNAL_SERVER_ERROR when rendering fails', async () => {
    const app = express();
    invoicePdfRoutes({ ...deps, render: async () => Promise.reject(new Error('font missing')) })(app);
    const failing = await listen(app);
    try {
      const response = await get(failing.url, pdfPath(), 'owner');
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    } finally {
      await new Promise((resolve) => failing.server.close(resolve));
    }
  });
});

describe('GET /invoices/:id/ubl on billing (issue 15): the same access as the PDF', () => {
  const issued = { ...invoice, _id: new Types.ObjectId(), ettn: 'f47ac10b-58cc-4372-a567-0e02b2c3d479', currency: 'TRY' } as unknown as InvoiceDoc;
  const legacy = { ...invoice, _id: new Types.ObjectId(), ettn: null, currency: 'TRY' } as unknown as InvoiceDoc;
  const byId = new Map([issued, legacy].map((doc) => [doc._id.toString(), doc]));
  let ubl: { server: Server; url: string };
  beforeAll(async () => {
    const app = express();
    invoicePdfRoutes({
      ...deps,
      models: { Invoice: { findById: (id: string) => ({ lean: async () => byId.get(id) ?? null }) } } as unknown as Pick<BillingModels, 'Invoice'>,
      ubl: (doc) => `<Invoice>${doc.ettn}</Invoice>`,
    })(app);
    ubl = await listen(app);
  });
  afterAll(() => new Promise((resolve) => ubl.server.close(resolve)));
  const ublPath = (doc: InvoiceDoc) => `/invoices/${doc._id.toString()}/ubl`;

  it.each(['owner', 'billing', 'billingAdmin'])('lets %s download the XML', async (who) => {
    const response = await get(ubl.url, ublPath(issued), who);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=OMR2026000000007.xml');
    expect(await response.text()).toBe('<Invoice>f47ac10b-58cc-4372-a567-0e02b2c3d479</Invoice>');
  });

  it.each([
    ['no token', undefined, 401],
    ['another organisation', 'outsider', 404],
    ['a support agent', 'supportAgent', 403],
  ])('refuses %s like the PDF route', async (_, who, status) => {
    expect((await get(ubl.url, ublPath(issued), who)).status).toBe(status);
  });

  it('answers 409 NO_EINVOICE_DOCUMENT for an invoice issued before the export (no ETTN)', async () => {
    const response = await get(ubl.url, ublPath(legacy), 'owner', { 'accept-language': 'en' });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'NO_EINVOICE_DOCUMENT' });
  });
});

describe('gateway proxy for /invoices/:id/pdf', () => {
  it('derives the billing base URL from its GraphQL URL', () => {
    expect(serviceBaseUrl('http://127.0.0.1:4002/graphql')).toBe('http://127.0.0.1:4002');
    expect(serviceBaseUrl('https://billing.internal/api/graphql/')).toBe('https://billing.internal/api');
  });

  it('streams the PDF back with its headers, passing the token and language through', async () => {
    rendered.length = 0;
    const response = await get(gateway.url, pdfPath(), 'billing', { 'accept-language': 'en' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=OMR2026000000007.pdf');
    expect(await response.text()).toBe('%PDF-1.3 OMR2026000000007 %%EOF');
    expect(rendered).toEqual([{ locale: 'en' }]);
  });

  it('relays billing’s refusals as they are', async () => {
    const anonymous = await get(gateway.url, pdfPath());
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(await anonymous.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const outsider = await get(gateway.url, pdfPath(), 'outsider');
    expect(outsider.status).toBe(404);
  });

  it('keeps the id inside the path segment', async () => {
    const response = await get(gateway.url, `/invoices/${encodeURIComponent('../../healthz')}/pdf`, 'owner');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers 502 when billing does not answer', async () => {
    const gone = await listen(express());
    await new Promise((resolve) => gone.server.close(resolve)); // a port where nothing listens any more
    const app = express();
    invoicePdfProxy(app, `${gone.url}/graphql`);
    const lonely = await listen(app);
    try {
      const response = await get(lonely.url, pdfPath(), 'owner');
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ code: 'BAD_GATEWAY' });
    } finally {
      await new Promise((resolve) => lonely.server.close(resolve));
    }
  });
});
