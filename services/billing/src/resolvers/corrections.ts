import { badUserInput, hasOperatorRole, isEntityId, requireOperator, withId } from '@omurga/shared';
import { emitWebhookEvent } from '@omurga/shared/temporal';
import type { Client } from '@temporalio/client';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { creditableRemainder } from '../corrections/creditable.ts';
import { issueCreditNote } from '../corrections/credit-notes.ts';
import type { CorrectionActor, CorrectionFailure } from '../corrections/holds.ts';
import { refundInvoicePayment } from '../corrections/refunds.ts';
import { voidInvoice } from '../corrections/void-invoice.ts';
import type { BillingAuditDoc, CreditNoteDoc, InvoiceDoc, RefundDoc } from '../models/index.ts';
import { creditNoteIssuedEvent } from '../workflows/webhook-events.ts';
import type { BillingDeps, Ctx } from './deps.ts';
import { failure } from './payloads.ts';

const KEY = /^[A-Za-z0-9_-]{8,100}$/;
const REASON = z.string().trim().min(1).max(500);
const MAX_LINES = 200;

interface CreditNoteArgs {
  input: { invoiceId: string; lines?: { index: number; amountMinor?: number | null }[] | null; amountMinor?: number | null; reason: string; idempotencyKey: string };
}
interface RefundArgs {
  input: { invoiceId: string; amountMinor?: number | null; reason: string; idempotencyKey: string };
}

/** Malformed input is the caller's bug, not a business outcome: a coded BAD_USER_INPUT, answered with HTTP 400 (the gateway passes it on). */
function invalid(ctx: Ctx, detail: string): GraphQLError {
  const error = badUserInput(ctx.locale, detail);
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
}

function checkInput(ctx: Ctx, input: { invoiceId: string; reason: string; idempotencyKey?: string; amountMinor?: number | null }): string {
  if (!isEntityId(input.invoiceId)) throw invalid(ctx, 'invoiceId');
  const reason = REASON.safeParse(input.reason);
  if (!reason.success) throw invalid(ctx, 'reason');
  if (input.idempotencyKey !== undefined && !KEY.test(input.idempotencyKey)) throw invalid(ctx, 'idempotencyKey');
  if (input.amountMinor != null && input.amountMinor <= 0) throw invalid(ctx, 'amountMinor');
  return reason.data;
}

const actorOf = (ctx: Ctx): CorrectionActor => {
  const operator = requireOperator(ctx, 'BILLING_ADMIN');
  return { actorId: operator.userId, actorRoles: [...operator.roles] };
};
const refused = (ctx: Ctx, result: CorrectionFailure) => failure(ctx.locale, result.code, result.field);
/**
 * credit_note.issued for webhooks. The event id comes from the note: when
 * Temporal cannot take it the mutation fails, and the operator's retry with
 * the same key answers the same note and hands the event over once.
 */
async function announceCreditNote(temporal: Client, note: CreditNoteDoc) {
  const event = creditNoteIssuedEvent({
    creditNoteId: note._id.toString(),
    number: note.number,
    invoiceId: note.invoiceId.toString(),
    organizationId: note.organizationId.toString(),
    totalMinor: note.total.amountMinor,
    currency: note.currency,
    issuedAt: note.issuedAt.toISOString(),
  });
  await emitWebhookEvent(temporal, event);
}

const forOperators = <T>(ctx: Ctx, value: T) => (ctx.principal.kind === 'operator' ? value : null);

/**
 * Corrections (issue 15): credit notes, voids and refunds, each an operator's
 * decision (BILLING_ADMIN), audited, and answered with the state it caused.
 * Customers read them on their own invoices (the Invoice fields below are
 * reached only through an invoice the caller may read).
 */
export function correctionResolvers({ models, temporal, charging, creditNotePrefix }: BillingDeps) {
  return {
    Mutation: {
      issueCreditNote: async (_: unknown, { input }: CreditNoteArgs, ctx: Ctx) => {
        const actor = actorOf(ctx);
        const reason = checkInput(ctx, input);
        if (input.lines && input.lines.length > MAX_LINES) throw invalid(ctx, 'lines');
        for (const [position, line] of (input.lines ?? []).entries()) {
          if (line.index < 0) throw invalid(ctx, `lines.${position}.index`);
          if (line.amountMinor != null && line.amountMinor <= 0) throw invalid(ctx, `lines.${position}.amountMinor`);
        }
        const result = await issueCreditNote({ models, prefix: creditNotePrefix ?? 'IAD' }, { ...input, reason }, actor);
        if (!result.ok) return { creditNote: null, invoice: null, ...refused(ctx, result) };
        await announceCreditNote(temporal, result.creditNote);
        return { creditNote: withId(result.creditNote), invoice: withId(result.invoice), userErrors: [] };
      },
      voidInvoice: async (_: unknown, args: { invoiceId: string; reason: string }, ctx: Ctx) => {
        const actor = actorOf(ctx);
        const reason = checkInput(ctx, args);
        const result = await voidInvoice({ models, temporal }, { invoiceId: args.invoiceId, reason }, actor);
        if (!result.ok) return { invoice: null, ...refused(ctx, result) };
        return { invoice: withId(result.invoice), userErrors: [] };
      },
      refundInvoicePayment: async (_: unknown, { input }: RefundArgs, ctx: Ctx) => {
        const actor = actorOf(ctx);
        const reason = checkInput(ctx, input);
        if (!charging) return { refund: null, invoice: null, ...failure(ctx.locale, 'REFUND_NOT_BY_CARD', ['invoiceId']) };
        const result = await refundInvoicePayment({ models, provider: charging.provider, timeoutMs: charging.timeoutMs }, { ...input, reason }, actor);
        if (!result.ok) return { refund: null, invoice: null, ...refused(ctx, result) };
        return { refund: withId(result.refund), invoice: withId(result.invoice), userErrors: [] };
      },
    },
    Invoice: {
      creditNotes: async (invoice: InvoiceDoc) => (await models.CreditNote.find({ invoiceId: invoice._id }).sort({ _id: 1 }).lean<CreditNoteDoc[]>()).map(withId),
      refunds: async (invoice: InvoiceDoc) => (await models.Refund.find({ invoiceId: invoice._id }).sort({ _id: 1 }).lean<RefundDoc[]>()).map(withId),
      creditableTotal: (invoice: InvoiceDoc) => ({
        amountMinor: invoice.status === 'PAID' ? creditableRemainder(invoice, invoice.credits ?? []).totalMinor : 0,
        currency: invoice.currency,
      }),
      refundableAmount: async (invoice: InvoiceDoc) => {
        const paid = charging && invoice.status === 'PAID' ? await models.PaymentAttempt.findOne({ invoiceId: invoice._id, status: 'SUCCEEDED', provider: charging.provider.name }, { amount: 1 }).lean() : null;
        const held = (invoice.refundHolds ?? []).reduce((sum, hold) => sum + hold.amountMinor, 0);
        return { amountMinor: paid ? Math.max(0, paid.amount.amountMinor - held) : 0, currency: invoice.currency };
      },
      correctionAudit: async (invoice: InvoiceDoc, _: unknown, ctx: Ctx) =>
        hasOperatorRole(ctx.principal, ['BILLING_ADMIN']) ? models.BillingAudit.find({ invoiceId: invoice._id }).sort({ _id: 1 }).lean<BillingAuditDoc[]>() : [],
      voided: (invoice: InvoiceDoc, _: unknown, ctx: Ctx) => invoice.voided && { at: invoice.voided.at, reason: invoice.voided.reason, by: forOperators(ctx, invoice.voided.actorId) },
    },
    CreditNote: {
      invoice: async (note: CreditNoteDoc, _: unknown, ctx: Ctx) => withId((await ctx.loaders.invoice.load(note.invoiceId.toString()))!),
      reason: (note: CreditNoteDoc) => note.issued.reason,
      pdfUrl: (note: CreditNoteDoc & { id: string }) => `/credit-notes/${note.id}/pdf`,
      ublUrl: (note: CreditNoteDoc & { id: string }) => `/credit-notes/${note.id}/ubl`,
      issuedBy: (note: CreditNoteDoc, _: unknown, ctx: Ctx) => forOperators(ctx, note.issued.actorId),
    },
    Refund: {
      reason: (refund: RefundDoc) => refund.requested.reason,
      requestedAt: (refund: RefundDoc) => refund.requested.at,
      requestedBy: (refund: RefundDoc, _: unknown, ctx: Ctx) => forOperators(ctx, refund.requested.actorId),
    },
  };
}
