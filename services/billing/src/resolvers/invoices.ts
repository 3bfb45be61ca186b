import { z } from 'zod';
import {
  canAccessOrganization,
  isEntityId,
  newestFirstPage,
  requireOperator,
  requireOrganizationAccess,
  withId,
  type PageArgs,
} from '@omurga/shared';
import { SUBSCRIPTION_SIGNALS, subscriptionWorkflowId } from '../workflows/contracts.ts';
import { recordInvoicePayment } from '../subscription-requests.ts';
import type { InvoiceDoc } from '../models/index.ts';
import { sendEInvoice } from '../einvoice/send.ts';
import { formatBuyerAddress } from '../invoices/buyer.ts';
import { INVOICE_ACCESS, type BillingDeps, type Ctx } from './deps.ts';
import { failure } from './payloads.ts';

const reference = z.string().trim().min(1).max(200);

/** Invoices kept after an erasure (CON-6) are restricted: only billing operators still read them. */
const mayRead = (ctx: Ctx, invoice: InvoiceDoc) =>
  canAccessOrganization(ctx, invoice.organizationId, INVOICE_ACCESS) && (!invoice.restrictedAt || ctx.principal.kind === 'operator');

/** BIL-8: invoices, read by billing roles; payments and chargebacks recorded by billing operators. */
export function invoiceResolvers({ models, temporal, eInvoices }: BillingDeps) {
  const tellSubscription = async (invoice: InvoiceDoc, name: string, payload?: unknown) => {
    if (!invoice.subscriptionId) return;
    await temporal.workflow
      .getHandle(subscriptionWorkflowId(invoice.subscriptionId.toString()))
      .signal(name, ...(payload === undefined ? [] : [payload]));
  };
  const findInvoice = async (invoiceId: string) => (isEntityId(invoiceId) ? models.Invoice.findById(invoiceId).lean<InvoiceDoc>() : null);

  return {
    Query: {
      invoice: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        if (!isEntityId(id)) return null;
        const invoice = await ctx.loaders.invoice.load(id);
        return invoice && mayRead(ctx, invoice) ? withId(invoice) : null;
      },
    },
    Mutation: {
      recordInvoicePayment: async (_: unknown, args: { invoiceId: string; reference: string }, ctx: Ctx) => {
        requireOperator(ctx, 'BILLING_ADMIN');
        if (!reference.safeParse(args.reference).success) return failure(ctx.locale, 'REQUIRED', ['reference']);
        const invoice = await findInvoice(args.invoiceId);
        if (!invoice) return failure(ctx.locale, 'INVOICE_NOT_FOUND', ['invoiceId']);
        if (!(await recordInvoicePayment(models, temporal, invoice, { at: new Date(), reference: args.reference.trim() }))) {
          return failure(ctx.locale, 'INVOICE_ALREADY_PAID', ['invoiceId']);
        }
        return { invoice: withId((await findInvoice(args.invoiceId))!), userErrors: [] };
      },
      reportChargeback: async (_: unknown, args: { invoiceId: string; reason: string }, ctx: Ctx) => {
        requireOperator(ctx, 'BILLING_ADMIN');
        if (!reference.safeParse(args.reason).success) return failure(ctx.locale, 'REQUIRED', ['reason']);
        const invoice = await findInvoice(args.invoiceId);
        if (!invoice) return failure(ctx.locale, 'INVOICE_NOT_FOUND', ['invoiceId']);
        if (invoice.status !== 'PAID') return failure(ctx.locale, 'INVOICE_NOT_PAID', ['invoiceId']);
        // BIL-10: the subscription's workflow suspends at once.
        await tellSubscription(invoice, SUBSCRIPTION_SIGNALS.chargeback, { invoiceId: invoice._id.toString(), reason: args.reason.trim() });
        return { invoice: withId(invoice), userErrors: [] };
      },
      sendEInvoice: async (_: unknown, args: { invoiceId: string }, ctx: Ctx) => {
        requireOperator(ctx, 'BILLING_ADMIN');
        const invoice = await findInvoice(args.invoiceId);
        if (!invoice) return failure(ctx.locale, 'INVOICE_NOT_FOUND', ['invoiceId']);
        if (!eInvoices || !invoice.ettn) return failure(ctx.locale, 'EINVOICE_NOT_AVAILABLE', ['invoiceId']);
        return { invoice: withId(await sendEInvoice(models, eInvoices, invoice)), userErrors: [] };
      },
      resolveChargeback: async (_: unknown, args: { invoiceId: string }, ctx: Ctx) => {
        requireOperator(ctx, 'BILLING_ADMIN');
        const invoice = await findInvoice(args.invoiceId);
        if (!invoice) return failure(ctx.locale, 'INVOICE_NOT_FOUND', ['invoiceId']);
        await tellSubscription(invoice, SUBSCRIPTION_SIGNALS.chargebackResolved);
        return { invoice: withId(invoice), userErrors: [] };
      },
    },
    Organization: {
      invoices: async ({ id }: { id: string }, args: PageArgs, ctx: Ctx) => {
        requireOrganizationAccess(ctx, id, INVOICE_ACCESS);
        const filter = ctx.principal.kind === 'operator' ? { organizationId: id } : { organizationId: id, restrictedAt: null };
        return newestFirstPage<InvoiceDoc>(models.Invoice, filter, args, ctx.locale);
      },
    },
    Invoice: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const invoice = await ctx.loaders.invoice.load(id);
        return invoice && mayRead(ctx, invoice) ? withId(invoice) : null;
      },
      organization: (invoice: InvoiceDoc) => ({ __typename: 'Organization', id: invoice.organizationId }),
      subscription: async (invoice: InvoiceDoc, _: unknown, ctx: Ctx) => {
        if (!invoice.subscriptionId) return null;
        const subscription = await ctx.loaders.subscription.load(invoice.subscriptionId.toString());
        return subscription && withId(subscription);
      },
      pdfUrl: (invoice: InvoiceDoc & { id: string }) => `/invoices/${invoice.id}/pdf`,
      ublUrl: (invoice: InvoiceDoc & { id: string }) => `/invoices/${invoice.id}/ubl`,
      buyer: (invoice: InvoiceDoc) => {
        const buyer = invoice.customer?.buyer;
        return buyer ? { ...buyer, address: formatBuyerAddress(buyer.address) } : null;
      },
    },
  };
}
