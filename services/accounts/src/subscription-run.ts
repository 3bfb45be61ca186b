import type { AccountsActivities, SubscriptionRunActivities, WebhookActivities } from '@omurga/shared/contracts';

/**
 * openSubscriptionRun (issue 16): a subscription workflow's new run hands over
 * the webhook events its previous run left and reads the billing profile in
 * one activity, one round trip through Temporal fewer per renewal. The two
 * are independent, so they run side by side.
 */
export function subscriptionRunActivities(
  accounts: Pick<AccountsActivities, 'organizationBillingProfile'>,
  webhooks: Pick<WebhookActivities, 'publishWebhookEvents'>,
): SubscriptionRunActivities {
  return {
    async openSubscriptionRun({ organizationId, webhookEvents }) {
      const [profile] = await Promise.all([
        accounts.organizationBillingProfile({ organizationId }),
        webhookEvents.length ? webhooks.publishWebhookEvents({ events: webhookEvents }) : null,
      ]);
      return profile;
    },
  };
}
