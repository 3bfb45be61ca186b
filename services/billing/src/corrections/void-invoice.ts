import type { Client } from '@temporalio/client';
import { transitionInvoice } from '../invoices/status.ts';
import type { BillingModels, InvoiceDoc } from '../models/index.ts';
import { SUBSCRIPTION_SIGNALS, subscriptionWorkflowId } from '../workflows/contracts.ts';
import { auditCorrection, type CorrectionActor, type CorrectionFailure } from './holds.ts';

/**
 * Voids an unpaid invoice (issue 15, BIL-8: OPEN → VOID). Its number stays
 * used: a GİB number is never given again, so the invoice remains in its
 * series and shows VOID. The subscription's workflow is told at once and
 * stops collecting it (no more charges, reminders or dunning); a charge it
 * starts later learns the invoice is void from chargeInvoice. Refused while
 * a card charge of the invoice is in flight or its outcome is unknown: the
 * money may already be taken.
 */
export async function voidInvoice(
  deps: { models: BillingModels; temporal: Pick<Client, 'workflow'> },
  input: { invoiceId: string; reason: string },
  actor: CorrectionActor,
): Promise<{ ok: true; invoice: InvoiceDoc } | CorrectionFailure> {
  const { models } = deps;
  const invoice = await models.Invoice.findById(input.invoiceId).lean<InvoiceDoc>();
  if (!invoice) return { ok: false, code: 'INVOICE_NOT_FOUND', field: ['invoiceId'] };
  if (invoice.status === 'VOID') return { ok: true, invoice };
  if (invoice.status === 'PAID') return { ok: false, code: 'INVOICE_ALREADY_PAID', field: ['invoiceId'] };
  if (invoice.status !== 'OPEN') return { ok: false, code: 'INVOICE_NOT_VOIDABLE', field: ['invoiceId'] };
  if (await models.PaymentAttempt.exists({ invoiceId: invoice._id, status: { $in: ['PENDING', 'UNKNOWN'] } })) {
    return { ok: false, code: 'PAYMENT_IN_PROGRESS', field: ['invoiceId'] };
  }
  const at = new Date();
  const voided = { ...actor, reason: input.reason, at };
  if (!(await transitionInvoice(models, invoice._id, 'VOID', { at, reason: `VOIDED: ${input.reason}`, set: { voided } }))) {
    // paid (or voided) meanwhile: answer what it is now
    const now = (await models.Invoice.findById(invoice._id).lean<InvoiceDoc>())!;
    return now.status === 'VOID' ? { ok: true, invoice: now } : { ok: false, code: 'INVOICE_ALREADY_PAID', field: ['invoiceId'] };
  }
  await auditCorrection(models, { action: 'INVOICE_VOIDED', invoice, targetId: invoice._id.toString(), actor, reason: input.reason, detail: { number: invoice.number, total: invoice.total }, at });
  if (invoice.subscriptionId) {
    // An ended subscription has no workflow to tell; the invoice is void all the same.
    await deps.temporal.workflow
      .getHandle(subscriptionWorkflowId(invoice.subscriptionId.toString()))
      .signal(SUBSCRIPTION_SIGNALS.invoiceVoided, { invoiceId: invoice._id.toString() })
      .catch(() => undefined);
  }
  return { ok: true, invoice: (await models.Invoice.findById(invoice._id).lean<InvoiceDoc>())! };
}
