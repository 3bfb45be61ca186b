import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { OrganizationStandingBillingActivities, OrganizationStandingChange } from '@omurga/shared/contracts';
import type { BillingModels, SubscriptionDoc } from './models/index.ts';
import { ENDED_SUBSCRIPTION_STATUSES, SUBSCRIPTION_SIGNALS, subscriptionWorkflowId } from './workflows/contracts.ts';

/**
 * Issue 12 (ACC-6 → BIL-6): an operator's suspension, reinstatement or
 * termination of an organisation reaches every live subscription of it at
 * once. The change is stored on each subscription first (`organizationStanding`,
 * and a history event), so it holds even if a signal is lost, then signalled to
 * the subscription's lifecycle; a subscription whose workflow has ended has
 * nothing left to follow.
 */
export function organizationStandingActivities(models: BillingModels, temporal: Client): OrganizationStandingBillingActivities {
  return {
    async applyOrganizationStanding(change) {
      const live = await models.Subscription.find({ organizationId: change.organizationId, status: { $nin: ENDED_SUBSCRIPTION_STATUSES } }, { _id: 1 }).lean<Pick<SubscriptionDoc, '_id'>[]>();
      for (const { _id } of live) {
        await recordStanding(models, _id.toString(), change);
        try {
          await temporal.workflow.getHandle(subscriptionWorkflowId(_id.toString())).signal(SUBSCRIPTION_SIGNALS.organizationStanding, change);
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
      return { subscriptions: live.length };
    },
  };
}

async function recordStanding(models: BillingModels, subscriptionId: string, change: OrganizationStandingChange): Promise<void> {
  const eventKey = `ORGANIZATION_${change.standing}@${change.at}`;
  await models.Subscription.updateOne(
    { _id: subscriptionId, eventKeys: { $ne: eventKey } },
    {
      $set: { organizationStanding: { standing: change.standing, reason: change.reason, at: new Date(change.at), actor: change.actor } },
      $push: { history: { at: new Date(change.at), type: `ORGANIZATION_${change.standing}`, detail: `${change.reason} (${change.actor})`, status: null }, eventKeys: eventKey },
    },
  );
}
