import { proxyActivities, sleep } from '@temporalio/workflow';
import { TASK_QUEUES, type WebhookActivities, type WebhookDeliveryInput, type WebhookEvent } from '@omurga/shared/contracts';

// No maximumAttempts: a database that is away delays an attempt, it never loses it.
const { publishWebhookEvent, attemptWebhookDelivery } = proxyActivities<WebhookActivities>({
  taskQueue: TASK_QUEUES.accounts,
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['InvalidWebhookEvent'] },
});

/** Fans one event out to its endpoints (ID webhookEventWorkflowId); services start it by name. */
export async function webhookEventWorkflow(event: WebhookEvent): Promise<{ deliveries: number }> {
  return publishWebhookEvent({ event });
}

/**
 * One event to one endpoint (ID webhookDeliveryWorkflowId): an attempt, then
 * on failure a durable wait of the schedule's next delay and another, until
 * one is answered 2xx or the schedule (days by default) runs out.
 */
export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<'DELIVERED' | 'FAILED'> {
  const { deliveryId, run, retryDelaysSeconds } = input;
  for (let attempt = 1; ; attempt += 1) {
    const final = attempt > retryDelaysSeconds.length;
    const outcome = await attemptWebhookDelivery({ deliveryId, run, attempt, final });
    if (outcome.delivered) return 'DELIVERED';
    if (final || !outcome.retryable) return 'FAILED';
    await sleep(retryDelaysSeconds[attempt - 1]! * 1000);
  }
}
