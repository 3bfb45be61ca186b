import { proxyActivities } from '@temporalio/workflow';
import { TASK_QUEUES, type ImportedSubscriptionRequest, type ImportedSubscriptionResult, type SubscriptionImportBillingActivities } from '@omurga/shared/contracts';

/** A chunk of up to 500 rows may take a while on a busy database; retries are safe (derived IDs). */
const { openImportedSubscriptions } = proxyActivities<SubscriptionImportBillingActivities>({
  taskQueue: TASK_QUEUES.billing,
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
});

/** Issue 16: the subscriptions of a bulk customer import, started by accounts under SUBSCRIPTION_IMPORT_WORKFLOW. */
export async function subscriptionImportWorkflow(input: { rows: ImportedSubscriptionRequest[]; locale: 'tr' | 'en' }): Promise<ImportedSubscriptionResult[]> {
  return openImportedSubscriptions(input);
}
