import type { Client } from '@temporalio/client';
import { addDuration } from '@omurga/shared';
import { SUBSCRIPTION_SIGNALS, cancellationEndsCurrentPeriod, subscriptionWorkflowId } from '@omurga/workflows';
import { markInvoicePaid } from './invoices/status.ts';
import type { BillingModels, InvoiceDoc, PolicyDoc, SubscriptionDoc } from './models/index.ts';

/**
 * A customer's requests to a running subscription (BIL-7). Each records the
 * request on the read model, so the API can answer at once, and signals the
 * workflow with the same request time, so both apply the same rule.
 */

/** Cancels at the end of the current period if the policy's notice still fits, else of the next one. */
export async function requestCancellation(models: BillingModels, temporal: Client, subscription: SubscriptionDoc, requestedAt: Date): Promise<SubscriptionDoc> {
  const policy = await models.ContractPolicy.findById(subscription.policyId).lean<PolicyDoc>();
  const periodEnd = subscription.currentPeriodEnd ?? requestedAt;
  const endsCurrent =
    subscription.status === 'TRIALING' || !policy || cancellationEndsCurrentPeriod(requestedAt.getTime(), periodEnd.getTime(), policy.cancellationNotice);
  const effectiveAt = endsCurrent ? periodEnd : new Date(addDuration(periodEnd.getTime(), policy!.billingPeriod));
  const updated = await models.Subscription.findOneAndUpdate(
    { _id: subscription._id },
    {
      $set: { cancelAtPeriodEnd: true, cancelEffectiveAt: effectiveAt },
      $push: { history: { at: requestedAt, type: 'CANCELLATION_REQUESTED', detail: `effective ${effectiveAt.toISOString()}`, status: null } },
    },
    { returnDocument: 'after' },
  ).lean<SubscriptionDoc>();
  await temporal.workflow.getHandle(subscriptionWorkflowId(subscription._id.toString())).signal(SUBSCRIPTION_SIGNALS.cancel, { requestedAt: requestedAt.toISOString() });
  return updated!;
}

/** Switches to `planCode` when the current period ends; choosing a plan during a trial is the decision to subscribe [003 §7.2.2]. */
export async function schedulePlanChange(models: BillingModels, temporal: Client, subscription: SubscriptionDoc, planCode: string, requestedAt: Date): Promise<SubscriptionDoc> {
  const pending = planCode === subscription.planCode ? null : planCode;
  const updated = await models.Subscription.findOneAndUpdate(
    { _id: subscription._id },
    {
      $set: { pendingPlanCode: pending, confirmed: true },
      $push: {
        history: { at: requestedAt, type: 'PLAN_CHANGE_REQUESTED', detail: `${planCode} from ${subscription.currentPeriodEnd?.toISOString() ?? 'the period end'}`, status: null },
      },
    },
    { returnDocument: 'after' },
  ).lean<SubscriptionDoc>();
  await temporal.workflow
    .getHandle(subscriptionWorkflowId(subscription._id.toString()))
    .signal(SUBSCRIPTION_SIGNALS.planChanged, { planCode, requestedAt: requestedAt.toISOString() });
  return updated!;
}

/**
 * Records a payment received outside the card flow (a bank transfer) and tells
 * the subscription, which restores service at once if it was overdue (BIL-6).
 * False when the invoice was already paid.
 */
export async function recordInvoicePayment(
  models: BillingModels,
  temporal: Client,
  invoice: InvoiceDoc,
  payment: { at: Date; reference: string },
): Promise<boolean> {
  if (!(await markInvoicePaid(models, invoice._id, { ...payment, reason: 'PAYMENT_RECORDED' }))) return false;
  if (invoice.subscriptionId) {
    // A subscription that has already ended has no workflow to tell; the payment stands.
    await temporal.workflow
      .getHandle(subscriptionWorkflowId(invoice.subscriptionId.toString()))
      .signal(SUBSCRIPTION_SIGNALS.invoicePaid, { invoiceId: invoice._id.toString() })
      .catch(() => undefined);
  }
  return true;
}
