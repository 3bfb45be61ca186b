import { webhookEventId, type WebhookEvent, type WebhookEventType } from '@omurga/shared/contracts';
import type { LifecycleState, SubscriptionStatus } from '../lifecycle/index.ts';

/** What the subscription's history entries mean to partners' webhooks (issue 15). */
const INVOICE_EVENTS: Record<string, WebhookEventType> = {
  INVOICE_ISSUED: 'invoice.issued',
  INVOICE_PAID: 'invoice.paid',
  PAYMENT_RECOVERED: 'invoice.paid',
  PAYMENT_OVERDUE: 'invoice.overdue',
};
const ENDING_EVENTS: Record<string, WebhookEventType> = {
  CANCELED: 'subscription.canceled',
  TRIAL_ENDED: 'subscription.canceled',
  TERMINATED: 'subscription.terminated',
};
const STATUS_EVENTS: Partial<Record<SubscriptionStatus, WebhookEventType>> = {
  PAST_DUE: 'subscription.past_due',
  SUSPENDED: 'subscription.suspended',
};

export interface RecordedEntry {
  event: string;
  detail: string | null;
  /** the status the entry records, null when it records none */
  status: SubscriptionStatus | null;
  /** the status recorded before it */
  previousStatus: SubscriptionStatus | null;
  /** unique within the workflow's history, for events that have no natural key (a status change) */
  sequenceKey: string;
}

const invoiceData = (state: LifecycleState, number: string | undefined) => {
  const invoice = state.invoice && state.invoice.number === number ? state.invoice : null;
  return invoice
    ? { invoiceId: invoice.id, invoiceNumber: invoice.number, totalMinor: invoice.totalMinor, currency: invoice.currency, dueAt: new Date(invoice.dueAt).toISOString(), paid: invoice.paid }
    : { invoiceNumber: number ?? null };
};

/**
 * The webhook events one history entry of the subscription gives (pure,
 * workflow code). Ids come from what happened (the invoice number, the
 * period, the end), so a replayed or repeated entry gives the same ids.
 */
export function webhookEventsFor(entry: RecordedEntry, state: LifecycleState, at: string): WebhookEvent[] {
  const { subscriptionId, organizationId } = state;
  const base = { subscriptionId, planCode: state.period.planCode, periodIndex: state.period.index, status: entry.status ?? entry.previousStatus };
  const event = (type: WebhookEventType, key: (string | number)[], data: Record<string, unknown> = {}): WebhookEvent => ({
    id: webhookEventId(type, subscriptionId, ...key),
    type,
    organizationId,
    occurredAt: at,
    data: { ...base, ...data },
  });
  const events: WebhookEvent[] = [];
  const invoiceType = INVOICE_EVENTS[entry.event];
  if (invoiceType) {
    const number = entry.detail?.split(' ')[0];
    events.push(event(invoiceType, [number ?? entry.sequenceKey], invoiceData(state, number)));
  }
  if (entry.event === 'PAYMENT_FAILED' && state.invoice) {
    const attempt = /^attempt (\d+)/.exec(entry.detail ?? '')?.[1] ?? entry.sequenceKey;
    events.push(event('payment.failed', [state.invoice.number, attempt], { ...invoiceData(state, state.invoice.number), attempt: Number(attempt) || null, reason: entry.detail?.replace(/^attempt \d+: /, '') ?? null }));
  }
  if (entry.event === 'PERIOD_STARTED') events.push(event('subscription.renewed', [state.period.index]));
  const endingType = ENDING_EVENTS[entry.event];
  if (endingType) events.push(event(endingType, ['end'], { reason: entry.detail }));
  const statusType = entry.status && entry.status !== entry.previousStatus ? STATUS_EVENTS[entry.status] : undefined;
  if (statusType) events.push(event(statusType, [entry.sequenceKey], { reason: entry.detail }));
  return events;
}

/** subscription.created, once per subscription. */
export function subscriptionCreatedEvent(state: LifecycleState, at: string): WebhookEvent {
  return {
    id: webhookEventId('subscription.created', state.subscriptionId),
    type: 'subscription.created',
    organizationId: state.organizationId,
    occurredAt: at,
    data: { subscriptionId: state.subscriptionId, planCode: state.planCode, periodIndex: state.period.index, trial: state.period.kind === 'TRIAL', periodEnd: new Date(state.period.end).toISOString() },
  };
}

/** subscription.trial_ending: three days before a trial ends (at its start when it is shorter). */
export const TRIAL_ENDING_NOTICE_MS = 3 * 24 * 3600 * 1000;
export function trialEndingEvent(state: LifecycleState, at: string): WebhookEvent {
  return {
    id: webhookEventId('subscription.trial_ending', state.subscriptionId, state.period.index),
    type: 'subscription.trial_ending',
    organizationId: state.organizationId,
    occurredAt: at,
    data: { subscriptionId: state.subscriptionId, planCode: state.period.planCode, trialEndsAt: new Date(state.period.end).toISOString() },
  };
}

/** credit_note.issued, once a credit note has its number. The id comes from the note, so a retry delivers once. */
export function creditNoteIssuedEvent(note: {
  creditNoteId: string;
  number: string;
  invoiceId: string;
  organizationId: string;
  totalMinor: number;
  currency: string;
  issuedAt: string;
}): WebhookEvent {
  const { organizationId, issuedAt, ...data } = note;
  return { id: webhookEventId('credit_note.issued', note.creditNoteId), type: 'credit_note.issued', organizationId, occurredAt: issuedAt, data };
}
