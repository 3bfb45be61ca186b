/**
 * What the billing service offers to workflows, and what the subscription
 * workflows accept from the billing API. The billing service registers these
 * activities on TASK_QUEUES.billing and implements them against its own
 * database; every one is idempotent (a retried or duplicated call leaves the
 * same state as one call).
 */

import type { BillingContact } from '@omurga/shared/contracts';

export const SUBSCRIPTION_STATUSES = ['INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAST_DUE', 'SUSPENDED', 'CANCELED', 'TERMINATED'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** A subscription in one of these has ended for good: its workflow is over. */
export const ENDED_SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = ['CANCELED', 'TERMINATED'];

export const COLLECTION_METHODS = ['CARD_AUTO', 'BANK_TRANSFER', 'ADVANCE'] as const;
export type CollectionMethod = (typeof COLLECTION_METHODS)[number];

/**
 * What happens when a trial ends: CONVERT charges or invoices the first period
 * (a CARD_AUTO subscription without a card on file is canceled instead)
 * [000 §4.5]; CANCEL_UNLESS_CONFIRMED ends the membership unless the customer
 * chose to subscribe during the trial [003 §7.2.2].
 */
export const TRIAL_END_ACTIONS = ['CONVERT', 'CANCEL_UNLESS_CONFIRMED'] as const;
export type TrialEndAction = (typeof TRIAL_END_ACTIONS)[number];

/** Integer minor units (kuruş, cent) plus an ISO-4217 code (BIL-2). */
export interface Money {
  amountMinor: number;
  currency: string;
}

/**
 * One version of a contract policy (SPEC §1), as pinned to a period. Durations
 * are ISO-8601 (P14D, P1M, PT30S); null means "not applicable".
 */
export interface PolicyTerms {
  id: string;
  code: string;
  version: number;
  trialPeriod: string | null;
  trialRequiresPaymentMethod: boolean;
  trialEndAction: TrialEndAction;
  billingPeriod: string;
  collectionMethod: CollectionMethod;
  /** how long after issue a bank-transfer / advance invoice is due */
  paymentDueAfter: string | null;
  /** count paymentDueAfter's days as Turkish business days [003 §6.4.1] */
  paymentDueInBusinessDays: boolean;
  maxCollectionAttempts: number;
  retryInterval: string;
  /** from the first failed collection (card) or the due date (transfer); null = at the last failed attempt */
  suspendAfter: string | null;
  /** from the first failed collection or the due date; null = never automatically */
  terminateAfter: string | null;
  /** e-mail this long before an automatic termination [004 §6.3] */
  terminationNotice: string | null;
  dataDeletionAfterTermination: string;
  /** how long licensed resources stay reserved after termination (ACC-11) */
  resourceHoldPeriod: string | null;
  cancellationNotice: string;
  termsChangeNotice: string;
  lateInterestMonthlyBasisPoints: number | null;
  /** fixed fee per overdue invoice, per currency [001 §5.3.1] */
  lateFees: Money[];
  /** the customer's share of stamp duty on the first invoice, in parts per million of its subtotal [000 §8.7] */
  firstInvoiceStampDutyPpm: number | null;
}

export type PeriodKind = 'TRIAL' | 'PAID';

/** A period as begun by the billing service: the terms pinned to it and when it ends. */
export interface PinnedPeriod {
  subscriptionId: string;
  organizationId: string;
  periodIndex: number;
  kind: PeriodKind;
  /** ISO-8601 instants */
  periodStart: string;
  periodEnd: string;
  planCode: string;
  planVersion: number;
  currency: string;
  /** the plan's recurring price for this period */
  price: Money;
  policy: PolicyTerms;
  hasPaymentMethod: boolean;
  /** for CANCEL_UNLESS_CONFIRMED trials: the customer chose to subscribe */
  confirmed: boolean;
}

/** The buyer as printed on an invoice, frozen at issue. */
export interface InvoiceCustomer {
  name: string;
  customerCode: string | null;
}

export interface IssuedInvoice {
  invoiceId: string;
  number: string;
  total: Money;
  /** ISO-8601 */
  issuedAt: string;
  dueAt: string;
  /** true for a zero-total invoice, which needs no collection */
  settled: boolean;
}

export type ChargeOutcome =
  | { status: 'PAID'; paymentId: string }
  | { status: 'ALREADY_PAID' }
  | { status: 'DECLINED'; declineCode: string }
  | { status: 'NO_PAYMENT_METHOD' }
  /** the provider did not answer and reconciliation found no charge: counts as a failed attempt */
  | { status: 'PROVIDER_UNAVAILABLE' };

export const BILLING_EMAIL_KINDS = [
  'TRIAL_STARTED',
  'TRIAL_ENDED',
  'INVOICE_ISSUED',
  'PAYMENT_SUCCEEDED',
  'PAYMENT_FAILED',
  'PAYMENT_REMINDER',
  'PAYMENT_OVERDUE',
  'SUBSCRIPTION_SUSPENDED',
  'SUBSCRIPTION_RESTORED',
  'TERMINATION_NOTICE',
  'SUBSCRIPTION_TERMINATED',
  'CANCELLATION_SCHEDULED',
  'SUBSCRIPTION_CANCELED',
  'PLAN_CHANGE_SCHEDULED',
] as const;
export type BillingEmailKind = (typeof BILLING_EMAIL_KINDS)[number];

/** An event of a subscription's history or of its upcoming timeline (BIL-3). */
export interface LifecycleEvent {
  /** ISO-8601 */
  at: string;
  type: string;
  detail: string | null;
}

/** Raised (non-retryable) when the subscription or invoice does not exist. */
export const BILLING_NOT_FOUND = 'BillingNotFound';
/** Raised (non-retryable) for a change the subscription's or invoice's state does not allow. */
export const BILLING_INVALID_STATE = 'BillingInvalidState';

export interface BillingActivities {
  /**
   * Begins period `periodIndex` at `periodStart`: pins the newest version of
   * the plan (or the plan change the customer scheduled) and of its policy,
   * and records the period on the subscription. Repeating it returns the same pin.
   */
  beginPeriod(input: { subscriptionId: string; periodIndex: number; periodStart: string; kind: PeriodKind }): Promise<PinnedPeriod>;
  /** Sets the subscription's status (when given) and appends a history event. Idempotent by (type, at). */
  recordSubscriptionEvent(input: { subscriptionId: string; status?: SubscriptionStatus; type: string; detail?: string | null; at: string }): Promise<void>;
  /** Issues the period's invoice (plan, add-ons, last period's usage, late charges, stamp duty, KDV). One invoice per period. */
  issueInvoice(input: { subscriptionId: string; periodIndex: number; issuedAt: string; customer: InvoiceCustomer }): Promise<IssuedInvoice>;
  /**
   * Charges the invoice with the organisation's stored provider token. The
   * idempotency key is derived from (invoice, attempt); earlier attempts whose
   * outcome is unknown are reconciled first, so an invoice is never charged twice.
   */
  chargeInvoice(input: { invoiceId: string; attempt: number }): Promise<ChargeOutcome>;
  /** Marks an unpaid invoice UNCOLLECTIBLE (at termination). */
  writeOffInvoice(input: { invoiceId: string; at: string }): Promise<void>;
  /** Whether the invoice has been paid (by card, transfer or an operator). */
  invoicePaid(input: { invoiceId: string }): Promise<boolean>;
  /** Accrues the referring partner's commission on a paid invoice (BIL-11). Idempotent per invoice. */
  accruePartnerCommission(input: { invoiceId: string; partnerId: string }): Promise<{ accrued: boolean }>;
  /** Renders a billing e-mail in each contact's language and queues it. Idempotent by `key`. */
  sendBillingEmail(input: {
    kind: BillingEmailKind;
    key: string;
    subscriptionId: string;
    invoiceId?: string;
    to: BillingContact[];
    params?: Record<string, string>;
  }): Promise<void>;
}

export const subscriptionWorkflowId = (subscriptionId: string) => `subscription/${subscriptionId}`;
export const invoiceCollectionWorkflowId = (invoiceId: string) => `invoice-collection/${invoiceId}`;

/** Input of subscriptionWorkflow: one run per period, continued-as-new at each period end. */
export interface SubscriptionWorkflowInput {
  subscriptionId: string;
  organizationId: string;
  periodIndex: number;
  /** ISO-8601; the start of this run's period */
  periodStart: string;
  kind: PeriodKind;
  /** decisions that outlive a period */
  carried?: {
    /** cancel when the period with this index ends */
    cancelAtPeriodIndex?: number | null;
    /** the status the previous period ended in */
    status?: SubscriptionStatus;
  };
}

export const SUBSCRIPTION_SIGNALS = {
  cancel: 'cancelSubscription',
  planChanged: 'planChangeScheduled',
  paymentMethodUpdated: 'paymentMethodUpdated',
  invoicePaid: 'invoicePaid',
  chargeback: 'chargebackReported',
  chargebackResolved: 'chargebackResolved',
  /** an OrganizationStandingChange (@omurga/shared/contracts): the organisation was suspended, reinstated or terminated outside billing */
  organizationStanding: 'organizationStandingChanged',
} as const;

export interface CancelSignal {
  /** ISO-8601: when the customer asked, which decides whether the notice period is met */
  requestedAt: string;
  /** the organisation objected to a terms change (CON-4): no notice, the current period is the last */
  noticeWaived?: boolean;
}
export interface PlanChangedSignal {
  planCode: string;
  requestedAt: string;
}
export interface InvoicePaidSignal {
  invoiceId: string;
}
export interface ChargebackSignal {
  invoiceId: string;
  reason: string;
}

export const SUBSCRIPTION_QUERIES = {
  upcoming: 'upcoming',
  state: 'subscriptionState',
} as const;

export interface SubscriptionWorkflowState {
  status: SubscriptionStatus;
  periodIndex: number;
  periodStart: string;
  periodEnd: string | null;
  invoiceId: string | null;
  attempts: number;
  cancelAtPeriodIndex: number | null;
  pendingPlanCode: string | null;
}

/** Input of invoiceCollectionWorkflow: a bank-transfer invoice waiting for payment, with reminders. */
export interface InvoiceCollectionInput {
  invoiceId: string;
  invoiceNumber: string;
  total: Money;
  organizationName: string;
  subscriptionId: string;
  /** ISO-8601 */
  dueAt: string;
  contacts: BillingContact[];
}

export const INVOICE_COLLECTION_SIGNALS = {
  /** the invoice was paid: no more reminders */
  paid: 'invoicePaid',
  /** the subscription ended without payment: no more reminders */
  closed: 'collectionClosed',
} as const;

/**
 * The KVKK erasure of a terminated organisation. The consent service (issue 5)
 * owns the full fan-out; billing hands over here, and only here.
 */
export const ORGANIZATION_ERASURE_WORKFLOW = 'organizationErasureWorkflow';
export const organizationErasureWorkflowId = (organizationId: string) => `erasure/${organizationId}`;
export interface OrganizationErasureInput {
  organizationId: string;
  /** ISO-8601: not before this instant */
  eraseAt: string;
  reason: string;
  requestedBy: string;
}
