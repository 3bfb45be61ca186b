import type { Types } from 'mongoose';
import type { BillingModels, InvoiceStatus } from '../models/index.ts';

/**
 * The invoice state machine (BIL-8), the one place an invoice's status changes.
 * DRAFT → OPEN (issued) → PAID | VOID | UNCOLLECTIBLE; an UNCOLLECTIBLE
 * invoice can still be paid late (the customer pays after termination).
 */
export const INVOICE_TRANSITIONS: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  DRAFT: ['OPEN', 'VOID'],
  OPEN: ['PAID', 'VOID', 'UNCOLLECTIBLE'],
  UNCOLLECTIBLE: ['PAID'],
  PAID: [],
  VOID: [],
};

export function canTransitionInvoice(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return INVOICE_TRANSITIONS[from].includes(to);
}

/**
 * Moves the invoice to `to` if its current status allows it, in one
 * conditional update. Returns true when this call made the change, false when
 * the invoice was not in a state that allows it (e.g. already PAID).
 */
export async function transitionInvoice(
  models: BillingModels,
  invoiceId: string | Types.ObjectId,
  to: InvoiceStatus,
  change: { at: Date; reason: string; set?: Record<string, unknown> },
): Promise<boolean> {
  const from = (Object.keys(INVOICE_TRANSITIONS) as InvoiceStatus[]).filter((status) => canTransitionInvoice(status, to));
  for (const status of from) {
    const result = await models.Invoice.updateOne(
      { _id: invoiceId, status },
      { $set: { status: to, ...change.set }, $push: { statusHistory: { from: status, to, at: change.at, reason: change.reason } } },
    );
    if (result.modifiedCount === 1) return true;
  }
  return false;
}

/** Records a payment: OPEN or UNCOLLECTIBLE → PAID. False when it was already paid (or void). */
export function markInvoicePaid(models: BillingModels, invoiceId: string | Types.ObjectId, payment: { at: Date; reference: string; reason: string }) {
  return transitionInvoice(models, invoiceId, 'PAID', {
    at: payment.at,
    reason: payment.reason,
    set: { paidAt: payment.at, paymentReference: payment.reference },
  });
}
