import { proxyActivities } from '@temporalio/workflow';
import { TASK_QUEUES } from '../contracts/task-queues.ts';
import type { WebhookActivities, WebhookEvent } from '../contracts/webhooks.ts';

const { publishWebhookEvent, publishWebhookEvents } = proxyActivities<Pick<WebhookActivities, 'publishWebhookEvent' | 'publishWebhookEvents'>>({
  taskQueue: TASK_QUEUES.accounts,
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/**
 * Hands an event to accounts for its webhooks, from workflow code. Idempotent
 * by the event's id, so a replayed or repeated emission delivers once. Never
 * lost: accounts being away only delays it.
 */
export async function emitWebhookEvent(event: WebhookEvent): Promise<void> {
  await publishWebhookEvent({ event });
}

/** emitWebhookEvent for several events, in order, in one round trip; nothing when there are none. */
export async function emitWebhookEvents(events: WebhookEvent[]): Promise<void> {
  if (events.length) await publishWebhookEvents({ events });
}
