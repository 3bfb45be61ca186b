import type { AccountsActivities, SubscriptionRunActivities, WebhookEvent } from '@omurga/shared/contracts';
import { subscriptionRunsOpened } from '@omurga/shared';
import type { KnownReferrer } from './webhooks/activities.ts';

/**
 * openSubscriptionRun (issue 16): a subscription workflow's new run hands over
 * the webhook events its previous run left and reads the billing profile in
 * one activity, one round trip through Temporal fewer per renewal. The
 * profile is read first: it names the referring partner, so the hand-over
 * need not read the organisation again.
 */
export function subscriptionRunActivities(
  accounts: Pick<AccountsActivities, 'organizationBillingProfile'>,
  publish: (events: WebhookEvent[], known: KnownReferrer) => Promise<unknown>,
): SubscriptionRunActivities {
  return {
    async openSubscriptionRun({ organizationId, webhookEvents }) {
      const profile = await accounts.organizationBillingProfile({ organizationId });
      if (webhookEvents.length) {
        await publish(webhookEvents, { organizationId, referredByPartnerId: profile.referredByPartnerId });
      }
      subscriptionRunsOpened.inc();
      return profile;
    },
  };
}
