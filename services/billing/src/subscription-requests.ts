import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { addDuration, isDuplicateKeyError } from '@omurga/shared';
import { ENDED_SUBSCRIPTION_STATUSES, SUBSCRIPTION_SIGNALS, subscriptionWorkflowId } from './workflows/contracts.ts';
import { cancellationEffectiveAt } from './lifecycle/index.ts';
import type { TermsObjectionBillingActivities } from '@omurga/shared/contracts';
import { markInvoicePaid } from './invoices/status.ts';
import type { BillingModels, CancellationRightDoc, InvoiceDoc, PolicyDoc, SubscriptionDoc } from './models/index.ts';

/**
 * A customer's requests to a running subscription (BIL-7). Each records the
 * request on the read model, so the API can answer at once, and signals the
 * workflow with the same request time, so both apply the same rule.
 */

/** Why a cancellation needs no notice: the organisation objected to a terms change (CON-4), or its person was erased (CON-6). */
export type NoticeWaiver = 'terms objection' | 'erasure of the customer';

/**
 * When a cancellation requested at `requestedAt` takes effect: the end of the
 * current period if the policy's notice still fits (or is waived), else of the
 * next one. The API's preview (`BillingSubscription.cancelNowEffectiveAt`)
 * and the request itself both ask this.
 */
export async function cancellationPreview(
  models: BillingModels,
  subscription: SubscriptionDoc,
  requestedAt: Date,
  waiver: NoticeWaiver | null = null,
): Promise<{ effectiveAt: Date; noticeWaiver: NoticeWaiver | null }> {
  const policy = await models.ContractPolicy.findById(subscription.policyId).lean<PolicyDoc>();
  const periodEnd = subscription.currentPeriodEnd ?? requestedAt;
  const noticeWaiver = waiver ?? ((await noticeFreeCancellationUntil(models, subscription.organizationId, requestedAt)) ? 'terms objection' : null);
  // The lifecycle core's own rule, so this preview is the end the workflow applies (BIL-7).
  const period = { index: subscription.periodIndex, kind: subscription.status === 'TRIALING' ? ('TRIAL' as const) : ('PAID' as const), end: periodEnd.getTime() };
  const effectiveAt = policy ? cancellationEffectiveAt(period, policy, requestedAt.getTime(), noticeWaiver !== null).effectiveAt : periodEnd.getTime();
  return { effectiveAt: new Date(effectiveAt), noticeWaiver };
}

/**
 * Cancels at the end of the current period if the policy's notice still fits,
 * else of the next one; without notice when `waiver` says so or the
 * organisation holds a cancellation right from a terms objection (CON-4). A
 * second request can bring the end forward, never push it back, and tells the
 * workflow again (harmless there), so a retry after a lost signal is safe.
 * `changed` is false when an end at least as early already stood.
 */
export async function requestCancellation(
  models: BillingModels,
  temporal: Client,
  subscription: SubscriptionDoc,
  requestedAt: Date,
  waiver: NoticeWaiver | null = null,
): Promise<{ subscription: SubscriptionDoc; changed: boolean }> {
  const { effectiveAt, noticeWaiver } = await cancellationPreview(models, subscription, requestedAt, waiver);
  const unchanged = subscription.cancelAtPeriodEnd && subscription.cancelEffectiveAt != null && subscription.cancelEffectiveAt <= effectiveAt;
  // Guarded, so a concurrent request that set an earlier end (read before it) is not overwritten with a later one.
  const updated = unchanged
    ? subscription
    : await models.Subscription.findOneAndUpdate(
        { _id: subscription._id, $or: [{ cancelEffectiveAt: null }, { cancelEffectiveAt: { $gt: effectiveAt } }] },
        {
          $set: { cancelAtPeriodEnd: true, cancelEffectiveAt: effectiveAt },
          $push: {
            history: {
              at: requestedAt,
              type: 'CANCELLATION_REQUESTED',
              detail: `effective ${effectiveAt.toISOString()}${noticeWaiver ? ` (notice waived: ${noticeWaiver})` : ''}`,
              status: null,
            },
          },
        },
        { returnDocument: 'after' },
      ).lean<SubscriptionDoc>();
  try {
    await temporal.workflow
      .getHandle(subscriptionWorkflowId(subscription._id.toString()))
      .signal(SUBSCRIPTION_SIGNALS.cancel, { requestedAt: requestedAt.toISOString(), noticeWaived: noticeWaiver !== null });
  } catch (error) {
    // A subscription whose workflow has ended has nothing left to stop.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  if (updated && !unchanged) return { subscription: updated, changed: true };
  // Nothing matched: an earlier end already stands.
  return { subscription: (await models.Subscription.findById(subscription._id).lean<SubscriptionDoc>()) ?? subscription, changed: false };
}

/** Until when the organisation may cancel without notice after a terms objection (CON-4), or null. */
export async function noticeFreeCancellationUntil(models: BillingModels, organizationId: string, at: Date): Promise<Date | null> {
  const right = await models.CancellationRight.findOne({ organizationId, until: { $gt: at } }, { until: 1 })
    .sort({ until: -1 })
    .lean<CancellationRightDoc>();
  return right?.until ?? null;
}

/** Billing's side of a terms objection, called by termsRolloutWorkflow; a retry finds the right already there. */
export function termsObjectionBillingActivities(models: BillingModels): TermsObjectionBillingActivities {
  return {
    async grantNoticeFreeCancellation({ organizationIds, documentVersionId, until }) {
      const grantedAt = new Date();
      for (const organizationId of organizationIds) {
        try {
          await models.CancellationRight.create({ organizationId, documentVersionId, until: new Date(until), grantedAt });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
    },

    async termsChangeNotices({ organizationIds }) {
      const live = await models.Subscription.find({ organizationId: { $in: organizationIds }, status: { $nin: ENDED_SUBSCRIPTION_STATUSES } }, { organizationId: 1, policyId: 1 }).lean<
        Pick<SubscriptionDoc, 'organizationId' | 'policyId'>[]
      >();
      const policies = await models.ContractPolicy.find({ _id: { $in: [...new Set(live.map((s) => s.policyId.toString()))] } }, { termsChangeNotice: 1 }).lean<PolicyDoc[]>();
      const noticeOf = new Map(policies.map((p) => [p._id.toString(), p.termsChangeNotice]));
      const now = Date.now();
      const notices: Record<string, string> = {};
      for (const { organizationId, policyId } of live) {
        const notice = noticeOf.get(policyId.toString());
        const current = notices[organizationId];
        if (notice && (!current || addDuration(now, notice) > addDuration(now, current))) notices[organizationId] = notice;
      }
      return notices;
    },
  };
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
      .signal(SUBSCRIPTION_SIGNALS.invoicePaid, { invoiceId: invoice._id.toString(), paidAt: payment.at.toISOString() })
      .catch(() => undefined);
  }
  return true;
}
