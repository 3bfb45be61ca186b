import { condition, defineSignal, setHandler } from '@temporalio/workflow';
import { subtractDuration } from '@omurga/shared/durations';
import { INVOICE_COLLECTION_SIGNALS, type BillingEmailKind, type InvoiceCollectionInput } from './contracts.ts';
import { parseInstant } from '@omurga/shared/workflow';
import { billingActivities } from './billing-activities.ts';

export const invoiceCollectionPaidSignal = defineSignal(INVOICE_COLLECTION_SIGNALS.paid);
export const invoiceCollectionClosedSignal = defineSignal(INVOICE_COLLECTION_SIGNALS.closed);

/** Reminders of a bank-transfer invoice: two days before it is due, and on the due date. */
const REMINDERS: { before: string; kind: BillingEmailKind }[] = [
  { before: 'P2D', kind: 'PAYMENT_REMINDER' },
  { before: 'PT0S', kind: 'PAYMENT_OVERDUE' },
];

/**
 * BIL-8: a bank-transfer (EFT/havale) invoice waiting for its money
 * [003 §6.4.1, 002 §9]. Sends the reminders that are still ahead, skipping any
 * once the invoice is paid; the subscription workflow, its parent, owns the
 * dunning clock and tells this one when the invoice is paid or written off.
 * Started with ID invoiceCollectionWorkflowId(invoiceId).
 */
export async function invoiceCollectionWorkflow(input: InvoiceCollectionInput): Promise<'PAID' | 'CLOSED'> {
  const dueAt = parseInstant(input.dueAt, 'dueAt');
  let paid = false;
  let closed = false;
  setHandler(invoiceCollectionPaidSignal, () => {
    paid = true;
  });
  setHandler(invoiceCollectionClosedSignal, () => {
    closed = true;
  });
  const settled = () => paid || closed;

  for (const reminder of REMINDERS) {
    const at = subtractDuration(dueAt, reminder.before);
    if (at < Date.now() && reminder.kind === 'PAYMENT_REMINDER') continue;
    if (await condition(settled, Math.max(0, at - Date.now()))) break;
    if (await billingActivities.invoicePaid({ invoiceId: input.invoiceId })) {
      paid = true;
      break;
    }
    await billingActivities.sendBillingEmail({
      kind: reminder.kind,
      key: `${input.invoiceId}/${reminder.kind}`,
      subscriptionId: input.subscriptionId,
      invoiceId: input.invoiceId,
      to: input.contacts,
      params: {
        organization: input.organizationName,
        invoiceNumber: input.invoiceNumber,
        amountMinor: String(input.total.amountMinor),
        currency: input.total.currency,
        dueAt: input.dueAt,
      },
    });
  }
  await condition(settled);
  return paid ? 'PAID' : 'CLOSED';
}
