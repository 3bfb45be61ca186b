import {
  buildRequestContext,
  canAccessOrganization,
  createTranslator,
  localeFromAcceptLanguage,
  type Locale,
  type Logger,
  type MemberRole,
  type OperatorRole,
  type RequestContext,
  type TokenVerifier,
} from '@omurga/shared';
import type { Express, Request, Response } from 'express';
import type { BillingModels, InvoiceDoc } from '../models/index.ts';

/**
 * GET /invoices/:id/pdf (BIL-8): the invoice as a PDF download, on the billing
 * service and proxied by the gateway. Plain HTTP rather than GraphQL because
 * the answer is a file. Errors are JSON { code, message }.
 */
export const INVOICE_PDF_PATH = '/invoices/:id/pdf';

/** Who may download: the organisation's owners, admins and billing members, and billing operators (SUPER_ADMIN holds every role). */
export const INVOICE_PDF_MEMBER_ROLES: readonly MemberRole[] = ['OWNER', 'ADMIN', 'BILLING'];
export const INVOICE_PDF_OPERATOR_ROLES: readonly OperatorRole[] = ['BILLING_ADMIN'];

export interface InvoicePdfRouteDeps {
  models: Pick<BillingModels, 'Invoice'>;
  /** the subgraph's access-token verifier */
  verify: TokenVerifier;
  /** renders the invoice in the caller's language (looks up seller and customer) */
  render: (invoice: InvoiceDoc, locale: Locale) => Promise<Buffer>;
  logger?: Logger;
}

const t = createTranslator({
  NOT_FOUND: { tr: 'Fatura bulunamadı.', en: 'Invoice not found.' },
});

const OBJECT_ID = /^[0-9a-f]{24}$/i;

function fail(res: Response, status: number, code: string, locale: Locale, messageCode = code): void {
  res.status(status).json({ code, message: t(messageCode, locale) });
}

/** The caller's context; 'invalid' for a token that does not verify. */
async function authenticate(req: Request, verify: TokenVerifier): Promise<RequestContext | 'invalid'> {
  try {
    return await buildRequestContext(req.headers, req.socket.remoteAddress, verify);
  } catch {
    return 'invalid';
  }
}

/** Registers the route on the service's express app. */
export function invoicePdfRoute(app: Express, deps: InvoicePdfRouteDeps): void {
  app.get(INVOICE_PDF_PATH, async (req, res) => {
    const locale = localeFromAcceptLanguage(req.get('accept-language'));
    const ctx = await authenticate(req, deps.verify);
    if (ctx === 'invalid') return fail(res.set('WWW-Authenticate', 'Bearer'), 401, 'UNAUTHENTICATED', locale, 'INVALID_TOKEN');
    if (ctx.principal.kind === 'anonymous') return fail(res.set('WWW-Authenticate', 'Bearer'), 401, 'UNAUTHENTICATED', locale);

    const id = req.params.id;
    const invoice = typeof id === 'string' && OBJECT_ID.test(id) ? await deps.models.Invoice.findById(id).lean<InvoiceDoc>() : null;
    // Someone outside the organisation learns nothing, not even that the invoice exists.
    const restricted = invoice?.restrictedAt && ctx.principal.kind !== 'operator';
    if (!invoice || restricted || !canAccessOrganization(ctx, invoice.organizationId)) return fail(res, 404, 'NOT_FOUND', locale);
    const allowed = canAccessOrganization(ctx, invoice.organizationId, {
      roles: INVOICE_PDF_MEMBER_ROLES,
      operatorRoles: INVOICE_PDF_OPERATOR_ROLES,
    });
    if (!allowed) return fail(res, 403, 'FORBIDDEN', locale);

    let pdf: Buffer;
    try {
      pdf = await deps.render(invoice, ctx.locale);
    } catch (error) {
      deps.logger?.error({ err: error, invoiceId: id }, 'invoice PDF failed');
      return fail(res, 500, 'INTERNAL_SERVER_ERROR', locale);
    }
    res
      .status(200)
      .set({
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename=${invoice.number}.pdf`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      })
      .end(pdf);
  });
}

/** For SubgraphDefinition.setup's `routes`: `routes: invoicePdfRoutes({ models, verify, render, logger })`. */
export function invoicePdfRoutes(deps: InvoicePdfRouteDeps): (app: Express) => void {
  return (app) => invoicePdfRoute(app, deps);
}
