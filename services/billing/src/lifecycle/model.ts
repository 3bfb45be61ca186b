import type { CollectionMethod, PolicyTerms } from './policy.ts';

/**
 * The state, events and commands of one subscription's life (BIL-3 … BIL-11).
 * Times are epoch milliseconds; the state is plain JSON, so it travels through
 * continue-as-new and survives a replay unchanged.
 */

export const SUBSCRIPTION_STATUSES = ['INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAST_DUE', 'SUSPENDED', 'CANCELED', 'TERMINATED'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** A subscription in one of these has ended for good. */
export const ENDED_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['CANCELED', 'TERMINATED'];

export type PeriodKind = 'TRIAL' | 'PAID';
export type CollectionChannel = 'CARD' | 'TRANSFER';

/** A period as billing pinned it: the plan and policy versions it runs on, and when it ends. */
export interface PinnedTerms {
  periodIndex: number;
  kind: PeriodKind;
  /** ISO-8601 instants */
  periodStart: string;
  periodEnd: string;
  planCode: string;
  planVersion: number;
  policy: PolicyTerms;
  hasPaymentMethod: boolean;
  /** the customer chose to subscribe during a trial */
  confirmed: boolean;
}

export interface Period {
  index: number;
  kind: PeriodKind;
  start: number;
  end: number;
  planCode: string;
  /** null until billing pinned a version */
  planVersion: number | null;
  policy: PolicyTerms;
  /** false until billing confirmed the pin (the core's own estimate until then) */
  pinned: boolean;
}

export interface InvoiceState {
  id: string;
  number: string;
  periodIndex: number;
  totalMinor: number;
  currency: string;
  issuedAt: number;
  dueAt: number;
  channel: CollectionChannel;
  /** settled: paid, or voided (then `voided` too); nothing more is collected */
  paid: boolean;
  paidAt: number | null;
  /** an operator voided it (issue 15); absent on states from before voiding existed */
  voided?: boolean;
  /** every attempt so far, scheduled or asked for by the customer; the idempotency key's counter */
  attempts: number;
  /** the policy's attempts used (a customer's own retry uses none) */
  scheduledAttempts: number;
  nextAttemptAt: number | null;
  /** the customer gave a new card: try once now */
  retryNow: boolean;
  /** when the attempt in flight was asked for, and whether the customer asked */
  charging: { at: number; customer: boolean } | null;
  /** the first failed attempt (card) or the due date (transfer); null while nothing is overdue */
  overdueSince: number | null;
  lastFailureAt: number | null;
  reminderSent: boolean;
  dueNoticeSent: boolean;
  terminationNoticeSent: boolean;
}

export type Outcome = { status: 'CANCELED' | 'TERMINATED'; periodIndex: number; reason: string };

export interface LifecycleState {
  subscriptionId: string;
  organizationId: string;
  /** the plan paid periods run on (the ordered one, or the last one changed to) */
  planCode: string;
  /** the plan the next paid period switches to */
  pendingPlanCode: string | null;
  confirmed: boolean;
  hasPaymentMethod: boolean;
  period: Period;
  /** the command whose result the core waits for before doing anything else */
  awaiting: 'PERIOD' | 'INVOICE' | 'CHARGE' | null;
  invoice: InvoiceState | null;
  /** cancel when the period with this index ends (BIL-7) */
  cancelAtPeriodIndex: number | null;
  /** an ADVANCE subscription's service started: its first invoice was paid [004 §6.3] */
  activated: boolean;
  suspendedForNonPayment: boolean;
  chargeback: { invoiceId: string; reason: string } | null;
  /** an operator suspended the organisation (accounts did it; billing follows) */
  organizationSuspended: boolean;
  /** since when the subscription has been SUSPENDED without a break [004 §11.3] */
  suspendedSince: number | null;
  /** an invoice to write off once the charge in flight turns out unpaid */
  writeOffWhenSettled: string | null;
  /** the status last written to the read model */
  recordedStatus: SubscriptionStatus;
  outcome: Outcome | null;
}

export type ChargeOutcome =
  | { status: 'PAID' }
  | { status: 'ALREADY_PAID' }
  | { status: 'DECLINED'; declineCode: string }
  | { status: 'NO_PAYMENT_METHOD' }
  /** the provider did not answer and reconciliation found no charge */
  | { status: 'PROVIDER_UNAVAILABLE' }
  /** the invoice was voided (issue 15): nothing charged */
  | { status: 'VOIDED' };

export type OrganizationChange = 'TERMINATED' | 'SUSPENDED' | 'REINSTATED';

export type LifecycleEvent =
  | { type: 'TIME_REACHED' }
  /** the workflow started again from stored state (replay, continue-as-new, a lost result) */
  | { type: 'RESTARTED' }
  | { type: 'PERIOD_BEGUN'; pinned: PinnedTerms }
  | { type: 'INVOICE_ISSUED'; invoiceId: string; number: string; periodIndex: number; total: { amountMinor: number; currency: string }; dueAt: string; settled: boolean }
  | { type: 'PAYMENT_RECORDED'; invoiceId: string; at: string }
  /** an operator voided the open invoice (issue 15) */
  | { type: 'INVOICE_VOIDED'; invoiceId: string }
  | { type: 'CHARGE_RESULT'; invoiceId: string; attempt: number; outcome: ChargeOutcome }
  | { type: 'CANCEL_REQUESTED'; requestedAt: string; noticeWaived: boolean }
  | { type: 'PLAN_CHANGE_REQUESTED'; planCode: string }
  /** the customer subscribes during a trial, on its plan (null) or another */
  | { type: 'TRIAL_CONFIRMED'; planCode: string | null }
  | { type: 'PAYMENT_METHOD_UPDATED' }
  | { type: 'CHARGEBACK'; invoiceId: string; reason: string }
  | { type: 'CHARGEBACK_RESOLVED' }
  | { type: 'ORGANIZATION_CHANGED'; change: OrganizationChange; reason: string };

export type BillingEmail =
  | 'TRIAL_STARTED'
  | 'TRIAL_ENDED'
  | 'INVOICE_ISSUED'
  | 'PAYMENT_SUCCEEDED'
  | 'PAYMENT_FAILED'
  | 'PAYMENT_REMINDER'
  | 'PAYMENT_OVERDUE'
  | 'SUBSCRIPTION_SUSPENDED'
  | 'SUBSCRIPTION_RESTORED'
  | 'TERMINATION_NOTICE'
  | 'SUBSCRIPTION_TERMINATED'
  | 'SUBSCRIPTION_CANCELED';

export type LifecycleCommand =
  | { type: 'BEGIN_PERIOD'; periodIndex: number; periodStart: string; kind: PeriodKind; planCode: string }
  /** ADVANCE: the period starts when it is paid [004 §6.3] */
  | { type: 'MOVE_PERIOD'; periodIndex: number; periodStart: string; periodEnd: string }
  | { type: 'ISSUE_INVOICE'; periodIndex: number; issuedAt: string }
  | { type: 'CHARGE_INVOICE'; invoiceId: string; attempt: number }
  /** `key` is the e-mail's idempotency key; the interpreter adds the organisation and its contacts */
  | { type: 'SEND_EMAIL'; kind: BillingEmail; key: string; invoiceId: string | null; params: Record<string, string> }
  /** a history event on the read model, with the status it leaves (when it sets one) */
  | { type: 'RECORD'; event: string; detail: string | null; status: SubscriptionStatus | null }
  | { type: 'SUSPEND_ORGANIZATION'; reason: 'NON_PAYMENT' | 'CHARGEBACK'; note: string | null }
  | { type: 'REINSTATE_ORGANIZATION'; reason: 'NON_PAYMENT' | 'CHARGEBACK' }
  | { type: 'TERMINATE_ORGANIZATION'; reason: 'NON_PAYMENT' }
  | { type: 'WRITE_OFF_INVOICE'; invoiceId: string; reason: string }
  | { type: 'HOLD_RESOURCES'; holdUntil: string }
  /**
   * Hand the organisation over to KVKK erasure (CON-6). After a cancellation
   * only if none of its other subscriptions is live (`unlessOtherLive`); the
   * interpreter records DATA_ERASURE_SCHEDULED when it did.
   */
  | { type: 'SCHEDULE_ERASURE'; eraseAt: string; reason: string; unlessOtherLive: boolean }
  | { type: 'ACCRUE_COMMISSION'; invoiceId: string }
  | { type: 'FINISH'; outcome: Outcome };

export interface Decision {
  state: LifecycleState;
  commands: LifecycleCommand[];
  /** when to feed TIME_REACHED next; null when only an event can move the subscription */
  wakeAt: number | null;
}

/** An entry of the subscription's projected future (BIL-3). */
export interface UpcomingEvent {
  at: number;
  type: string;
  detail: string | null;
}

/** How an invoice is collected: by charging the stored card, or by waiting for a transfer. */
export function collectionChannel(method: CollectionMethod, hasPaymentMethod: boolean, cardRequired: boolean): CollectionChannel {
  if (method === 'CARD_AUTO') return 'CARD';
  if (method === 'BANK_TRANSFER') return 'TRANSFER';
  // ADVANCE: paid before the service starts, by card when one is on file or the policy requires one [004 §6.3].
  return hasPaymentMethod || cardRequired ? 'CARD' : 'TRANSFER';
}
