/**
 * Webhooks (issue 15, SPEC §7): every service hands the events it emits to
 * accounts, which owns the endpoints, by workflow or activity name. accounts
 * fans an event out to the endpoints of the organisation and of the partner
 * that referred it, and delivers each through its own workflow.
 */

export const WEBHOOK_EVENT_TYPES = [
  'subscription.created',
  'subscription.trial_ending',
  'subscription.renewed',
  'subscription.past_due',
  'subscription.suspended',
  'subscription.terminated',
  'subscription.canceled',
  'invoice.issued',
  'invoice.paid',
  'invoice.overdue',
  'payment.failed',
  'credit_note.issued',
  'ticket.opened',
  'ticket.answered',
  'data_subject_request.received',
  'data_subject_request.due_soon',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * One event as the emitting service describes it. `id` is stable (the same
 * happening always gets the same id), so emitting twice delivers once and
 * receivers can dedupe on the `webhook-id` header. `data` holds identifiers,
 * numbers and statuses only, never personal data.
 */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  /** the customer organisation the event is about */
  organizationId: string;
  /** ISO-8601 instant */
  occurredAt: string;
  data: Record<string, unknown>;
}

/** A stable event id from what the event is about: `evt_<type>_<parts>` with characters safe in headers and workflow ids. */
export function webhookEventId(type: WebhookEventType, ...parts: (string | number)[]): string {
  return ['evt', type.replace('.', '_'), ...parts.map(String)].join('_').replace(/[^A-Za-z0-9_.-]/g, '-');
}

/** accounts' workflow that fans one event out (services start it by this name; ID webhookEventWorkflowId). */
export const WEBHOOK_EVENT_WORKFLOW = 'webhookEventWorkflow';
export const webhookEventWorkflowId = (eventId: string) => `webhook-event/${eventId}`;

/** accounts' workflow delivering one event to one endpoint with retries (ID webhookDeliveryWorkflowId). */
export const WEBHOOK_DELIVERY_WORKFLOW = 'webhookDeliveryWorkflow';
export const webhookDeliveryWorkflowId = (deliveryId: string, run = 0) => (run === 0 ? `webhook-delivery/${deliveryId}` : `webhook-delivery/${deliveryId}/redelivery-${run}`);

export interface WebhookDeliveryInput {
  deliveryId: string;
  /** 0 for the delivery itself, n for the n-th manual redelivery */
  run: number;
  /** seconds to wait before each retry; its length is the number of retries */
  retryDelaysSeconds: number[];
}

/** What one attempt came to; the attempt itself is in the delivery log. */
export interface WebhookAttemptOutcome {
  delivered: boolean;
  /** false when retrying is pointless (endpoint deleted or disabled, delivery gone) */
  retryable: boolean;
}

/** accounts' webhook activities, on TASK_QUEUES.accounts. Both are idempotent. */
export interface WebhookActivities {
  /** Stores the event once and starts one delivery workflow per subscribed endpoint; answers how many deliveries it has. */
  publishWebhookEvent(input: { event: WebhookEvent }): Promise<{ deliveries: number }>;
  /** publishWebhookEvent for each event, in order, in one round trip (issue 16: the events of one lifecycle step). */
  publishWebhookEvents(input: { events: WebhookEvent[] }): Promise<{ deliveries: number }>;
  /** Makes attempt `attempt` of the delivery (signed POST, no redirects) and logs it; a repeated attempt number is answered from the log. */
  attemptWebhookDelivery(input: { deliveryId: string; run: number; attempt: number; final: boolean }): Promise<WebhookAttemptOutcome>;
}
