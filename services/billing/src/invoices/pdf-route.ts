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
import type { BillingModels, CreditNoteDoc, InvoiceDoc } from '../models/index.ts';

/**
 * GET /invoices/:id/pdf (BIL-8): the invoice as a PDF download, on the billing
 * service and proxied by the gateway. Plain HTTP rather than GraphQL because
 * the answer is a file. Errors are JSON { code, message }.
 */
export const INVOICE_PDF_PATH = '/invoices/:id/pdf';
/** GET /invoices/:id/ubl (issue 15): the same invoice as UBL-TR 1.2 XML, under the same authorisation. */
export const INVOICE_UBL_PATH = '/invoices/:id/ubl';

/** GET /credit-notes/:id/pdf and /ubl (issue 15): a credit note, readable by whoever may read the invoice it reverses. */
export const CREDIT_NOTE_PDF_PATH = '/credit-notes/:id/pdf';
export const CREDIT_NOTE_UBL_PATH = '/credit-notes/:id/ubl';

/** Who may download: the organisation's owners, admins and billing members, and billing operators (SUPER_ADMIN holds every role). */
export const INVOICE_PDF_MEMBER_ROLES: readonly MemberRole[] = ['OWNER', 'ADMIN', 'BILLING'];
export const INVOICE_PDF_OPERATOR_ROLES: readonly OperatorRole[] = ['BILLING_ADMIN'];

export interface InvoicePdfRouteDeps {
  models: Pick<BillingModels, 'Invoice'> & Partial<Pick<BillingModels, 'CreditNote'>>;
  /** the subgraph's access-token verifier */
  verify: TokenVerifier;
  /** renders the invoice in the caller's language (looks up seller and customer) */
  render: (invoice: InvoiceDoc, locale: Locale) => Promise<Buffer>;
  /** the invoice's UBL-TR XML; without it only the PDF route is registered */
  ubl?: (invoice: InvoiceDoc) => string;
  /** credit notes' PDF and UBL-TR (IADE) XML; without them no credit-note routes */
  creditNotes?: { render: (note: CreditNoteDoc, locale: Locale) => Promise<Buffer>; ubl: (note: CreditNoteDoc) => string };
  logger?: Logger;
}

const t = createTranslator({
  NOT_FOUND: { tr: 'Fatura bulunamadı.', en: 'Invoice not found.' },
  NO_EINVOICE_DOCUMENT: {
    tr: 'Bu fatura UBL-TR belgesi olmadan (ETTN ya da kur bilgisi olmadan) düzenlenmiş.',
    en: 'This invoice was issued without a UBL-TR document (no ETTN or exchange rate).',
  },
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

interface InvoiceFile {
  body: Buffer | string;
  contentType: string;
  extension: string;
}

/** One download route: the same authentication, authorisation and errors for every format. */
function invoiceFileRoute(app: Express, path: string, deps: InvoicePdfRouteDeps, produce: (invoice: InvoiceDoc, locale: Locale) => Promise<InvoiceFile | 'unavailable'>): void {
  documentFileRoute(app, path, deps, (id) => deps.models.Invoice.findById(id).lean<InvoiceDoc>().then((invoice) => invoice && { invoice, document: invoice }), produce);
}

/** A download of a document that belongs to an invoice (the invoice itself, or one of its credit notes), with the invoice's access. */
function documentFileRoute<D extends { number: string }>(
  app: Express,
  path: string,
  deps: InvoicePdfRouteDeps,
  load: (id: string) => Promise<{ invoice: InvoiceDoc; document: D } | null>,
  produce: (document: D, locale: Locale) => Promise<InvoiceFile | 'unavailable'>,
): void {
  app.get(path, async (req, res) => {
    const locale = localeFromAcceptLanguage(req.get('accept-language'));
    const ctx = await authenticate(req, deps.verify);
    if (ctx === 'invalid') return fail(res.set('WWW-Authenticate', 'Bearer'), 401, 'UNAUTHENTICATED', locale, 'INVALID_TOKEN');
    if (ctx.principal.kind === 'anonymous') return fail(res.set('WWW-Authenticate', 'Bearer'), 401, 'UNAUTHENTICATED', locale);

    const id = req.params.id;
    const found = typeof id === 'string' && OBJECT_ID.test(id) ? await load(id) : null;
    const invoice = found?.invoice;
    // Someone outside the organisation learns nothing, not even that the invoice exists.
    const restricted = invoice?.restrictedAt && ctx.principal.kind !== 'operator';
    if (!invoice || restricted || !canAccessOrganization(ctx, invoice.organizationId)) return fail(res, 404, 'NOT_FOUND', locale);
    const allowed = canAccessOrganization(ctx, invoice.organizationId, {
      roles: INVOICE_PDF_MEMBER_ROLES,
      operatorRoles: INVOICE_PDF_OPERATOR_ROLES,
    });
    if (!allowed) return fail(res, 403, 'FORBIDDEN', locale);

    let file: InvoiceFile | 'unavailable';
    try {
      file = await produce(found!.document, ctx.locale);
    } catch (error) {
      deps.logger?.error({ err: error, invoiceId: id, path }, 'invoice download failed');
      return fail(res, 500, 'INTERNAL_SERVER_ERROR', locale);
    }
    if (file === 'unavailable') return fail(res, 409, 'NO_EINVOICE_DOCUMENT', locale);
    res
      .status(200)
      .set({
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename=${found!.document.number}.${file.extension}`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      })
      .end(file.body);
  });
}

/** Registers the PDF route (and the UBL-TR one when `deps.ubl` is given) on the service's express app. */
export function invoicePdfRoute(app: Express, deps: InvoicePdfRouteDeps): void {
  invoiceFileRoute(app, INVOICE_PDF_PATH, deps, async (invoice, locale) => ({ body: await deps.render(invoice, locale), contentType: 'application/pdf', extension: 'pdf' }));
  const ubl = deps.ubl;
  if (!ubl) return;
  invoiceFileRoute(app, INVOICE_UBL_PATH, deps, async (invoice) => {
    // Invoices issued before the UBL-TR export have no ETTN (nor, in USD, a stored rate).
    if (!invoice.ettn || (invoice.currency !== 'TRY' && !invoice.exchangeRate)) return 'unavailable';
    return { body: ubl(invoice), contentType: 'application/xml; charset=utf-8', extension: 'xml' };
  });
}

/** The credit notes' downloads (issue 15), when `deps.creditNotes` and the CreditNote model are given. */
export function creditNoteRoutes(app: Express, deps: InvoicePdfRouteDeps): void {
  const { creditNotes } = deps;
  const CreditNote = deps.models.CreditNote;
  if (!creditNotes || !CreditNote) return;
  const load = async (id: string) => {
    const note = await CreditNote.findById(id).lean<CreditNoteDoc>();
    const invoice = note && (await deps.models.Invoice.findById(note.invoiceId).lean<InvoiceDoc>());
    return note && invoice ? { invoice, document: note } : null;
  };
  documentFileRoute(app, CREDIT_NOTE_PDF_PATH, deps, load, async (note, locale) => ({ body: await creditNotes.render(note, locale), contentType: 'application/pdf', extension: 'pdf' }));
  documentFileRoute(app, CREDIT_NOTE_UBL_PATH, deps, load, async (note) => {
    if (note.currency !== 'TRY' && !note.exchangeRate) return 'unavailable';
    return { body: creditNotes.ubl(note), contentType: 'application/xml; charset=utf-8', extension: 'xml' };
  });
}

/** For SubgraphDefinition.setup's `routes`: `routes: invoicePdfRoutes({ models, verify, render, logger })`. */
export function invoicePdfRoutes(deps: InvoicePdfRouteDeps): (app: Express) => void {
  return (app) => {
    invoicePdfRoute(app, deps);
    creditNoteRoutes(app, deps);
  };
}
