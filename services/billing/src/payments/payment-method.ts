import type { Client } from '@temporalio/client';
import { ENDED_SUBSCRIPTION_STATUSES, SUBSCRIPTION_SIGNALS, subscriptionWorkflowId } from '../workflows/contracts.ts';
import type { BillingModels } from '../models/index.ts';

/**
 * Stores the organisation's payment method (a provider token, never a card
 * number) and tells its live subscriptions, which retry an overdue charge at
 * once with it (BIL-6). setPaymentMethod and hosted card capture both end here.
 */
export async function savePaymentMethod(
  models: BillingModels,
  temporal: Client,
  method: { organizationId: string; provider: string; token: string; cardLabel?: string | null },
): Promise<void> {
  await models.BillingAccount.updateOne(
    { _id: method.organizationId },
    { $set: { paymentMethod: { provider: method.provider, token: method.token.trim(), addedAt: new Date(), cardLabel: method.cardLabel ?? null } } },
    { upsert: true },
  );
  const live = await models.Subscription.find({ organizationId: method.organizationId, status: { $nin: ENDED_SUBSCRIPTION_STATUSES } }, { _id: 1 }).lean();
  await Promise.all(
    live.map((s) =>
      temporal.workflow
        .getHandle(subscriptionWorkflowId(s._id.toString()))
        .signal(SUBSCRIPTION_SIGNALS.paymentMethodUpdated)
        .catch(() => undefined),
    ),
  );
}
