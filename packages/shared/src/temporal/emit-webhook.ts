import type { Client } from '@temporalio/client';
import { WEBHOOK_EVENT_WORKFLOW, webhookEventWorkflowId, type WebhookEvent } from '../contracts/webhooks.ts';
import { startWorkflowOnce } from './start-email.ts';

/**
 * Hands an event to accounts for its webhooks, from service code (resolvers,
 * activities): starts accounts' webhookEventWorkflow by name under an ID
 * made of the event id, so emitting the same event twice is a no-op.
 */
export function emitWebhookEvent(client: Client, event: WebhookEvent): Promise<'STARTED' | 'ALREADY_STARTED'> {
  return startWorkflowOnce(client, WEBHOOK_EVENT_WORKFLOW, {
    workflowId: webhookEventWorkflowId(event.id),
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    args: [event],
  });
}
