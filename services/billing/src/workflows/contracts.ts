/**
 * What the billing service offers to workflows, and what the subscription
 * workflows accept from the billing API. The billing service registers these
 * activities on TASK_QUEUES.billing and implements them against its own
 * database; every one is idempotent (a retried or duplicated call leaves the
 * same state as one call).
 */

import type { BillingContact, InvoiceBuyer, OrganizationBillingProfile, WebhookEvent } from '@omurga/shared/contracts';

// Defined once in the lifecycle core; re-exported for the service's other modules.
export {
  COLLECTION_METHODS,
  ENDED_SUBSCRIPTION_STATUSES,
  SUBSCRIPTION_STATUSES,
  TRIAL_END_ACTIONS,
  type CollectionMethod,
  type PeriodKind,
  type PolicyTerms,
  type SubscriptionStatus,
  type TrialEndAction,
} from '../lifecycle/index.ts';
import type { Decision, LifecycleCommand, LifecycleEvent as CoreEvent, LifecycleState, PeriodKind, PinnedTerms, PolicyTerms, SubscriptionStatus } from '../lifecycle/index.ts';

/** Integer minor units (kuruş, cent) plus an ISO-4217 code (BIL-2). */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** A period as begun by the billing service: the terms pinned to it and when it ends. */
export interface PinnedPeriod extends PinnedTerms {
  subscriptionId: string;
  organizationId: string;
  currency: string;
  /** the plan's recurring price for this period */
  price: Money;
}

/** The buyer as printed on an invoice, frozen at issue. */
export interface InvoiceCustomer {
  name: string;
  customerCode: string | null;
  /** legal identity frozen on the invoice (VUK art. 230), from accounts' billing profile */
  buyer?: InvoiceBuyer | null;
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
  /** paid when the activity answered (an operator recorded a transfer meanwhile); absent from activities before issue 16 */
  paid?: boolean;
}

export type ChargeOutcome =
  | { status: 'PAID'; paymentId: string }
  | { status: 'ALREADY_PAID' }
  | { status: 'DECLINED'; declineCode: string }
  | { status: 'NO_PAYMENT_METHOD' }
  /** the provider did not answer and reconciliation found no charge: counts as a failed attempt */
  | { status: 'PROVIDER_UNAVAILABLE' }
  /** an operator voided the invoice (issue 15): nothing was charged, nothing more is collected */
  | { status: 'VOIDED' };

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
  beginPeriod(input: { subscriptionId: string; periodIndex: number; periodStart: string; kind: PeriodKind; planCode: string }): Promise<PinnedPeriod>;
  /** ADVANCE [004 §6.3]: the period starts when its invoice is paid; moves the read model's period. Idempotent. */
  movePeriod(input: { subscriptionId: string; periodIndex: number; periodStart: string; periodEnd: string }): Promise<void>;
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
  /** Marks an unpaid invoice UNCOLLECTIBLE (the subscription ended without it); a paid one stays paid. */
  writeOffInvoice(input: { invoiceId: string; at: string; reason: string }): Promise<void>;
  /** Whether another subscription of the organisation is still live (then a cancellation erases nothing). */
  otherLiveSubscription(input: { organizationId: string; subscriptionId: string }): Promise<boolean>;
  /** Whether the invoice has been paid (by card, transfer or an operator). */
  invoicePaid(input: { invoiceId: string }): Promise<boolean>;
  /** Accrues the referring partner's commission on a paid invoice (BIL-11). Idempotent per invoice. */
  accruePartnerCommission(input: { invoiceId: string; partnerId: string }): Promise<{ accrued: boolean }>;
  /**
   * The organisation's promo code from sign-up (issue 15), applied to its new
   * subscription before the first invoice. Idempotent; a code that is not
   * valid is noted in the history, never an error.
   */
  applySignUpPromoCode(input: { subscriptionId: string; code: string; at: string }): Promise<{ applied: boolean }>;
  /** Renders a billing e-mail in each contact's language and queues it. Idempotent by `key`. */
  sendBillingEmail(input: {
    kind: BillingEmailKind;
    key: string;
    subscriptionId: string;
    invoiceId?: string;
    to: BillingContact[];
    params?: Record<string, string>;
  }): Promise<void>;
  /**
   * Issue 16: carries out a decision's billing commands in billing's process,
   * feeding each answer to the lifecycle core as the workflow would, until the
   * core waits (for time or a signal), the subscription ends, or a decision
   * needs a command only the workflow may carry out (another service, a child
   * workflow). The same commands in the same order with the same idempotency
   * keys as one activity each, so a retry repeats nothing; one round trip
   * instead of one per command.
   */
  carryOutLifecycleSteps(input: LifecycleStepsInput): Promise<LifecycleStepsResult>;
}

/** The commands billing carries out itself in carryOutLifecycleSteps; the others stay the workflow's. */
export const BILLING_STEP_COMMANDS: ReadonlySet<LifecycleCommand['type']> = new Set<LifecycleCommand['type']>([
  'BEGIN_PERIOD',
  'MOVE_PERIOD',
  'ISSUE_INVOICE',
  'CHARGE_INVOICE',
  'SEND_EMAIL',
  'RECORD',
  'WRITE_OFF_INVOICE',
  'ACCRUE_COMMISSION',
  'FINISH',
]);

export interface LifecycleStepsInput {
  /** the decision whose commands are carried out, from the first */
  decision: Decision;
  /** answers not yet given to the core, oldest first (they come after this decision's own) */
  results: CoreEvent[];
  profile: OrganizationBillingProfile;
  /** the status the read model last recorded (the webhooks' previous status) */
  recordedStatus: SubscriptionStatus | null;
  /** history entries are keyed `${prefix}-${n}`, n counting on from `next` */
  sequence: { prefix: string; next: number };
}

export interface LifecycleStepsResult {
  /** the core's latest decision; its commands are those left to the workflow (the first is not billing's), or none */
  decision: Decision;
  /** answers still to give to the core, oldest first */
  results: CoreEvent[];
  recordedStatus: SubscriptionStatus | null;
  /** the next sequence number for history entries */
  sequenceNext: number;
  /** what the recorded history entries mean to webhooks, for the workflow to hand to accounts */
  webhookEvents: WebhookEvent[];
}

export const subscriptionWorkflowId = (subscriptionId: string) => `subscription/${subscriptionId}`;

/**
 * Input of subscriptionWorkflow. The first run starts the subscription from
 * what the API saw (`start`, the same input the API's own answer was computed
 * from); every later run (continue-as-new, one per period) carries the core's state.
 */
export interface SubscriptionWorkflowInput {
  subscriptionId: string;
  organizationId: string;
  start?: {
    /** the ordered plan and the newest version of its policy */
    planCode: string;
    policy: PolicyTerms;
    hasPaymentMethod: boolean;
    /** ISO-8601: when the subscription starts */
    at: string;
  };
  state?: LifecycleState;
  /** webhook events of the previous run's last step, handed to accounts by this run beside its first activity (issue 16) */
  webhookEvents?: WebhookEvent[];
  /** the operators' description the previous run left in the memo, so this run does not write it again (issue 16) */
  description?: string;
  /**
   * The changes (patch IDs) this run takes without asking for a patch marker:
   * set by code that has them all (SUBSCRIPTION_WORKFLOW_PATCHES). Each
   * marker costs the run two history events and a visibility write; a run
   * without the field asks `patched()` as runs always did.
   */
  patches?: string[];
}

/**
 * Every change of subscriptionWorkflow made since runs were first started,
 * as its patch ID. A new change appends its ID here and asks
 * `takes(ID)` in the workflow; runs started with an older list ask the
 * marker for it.
 */
export const SUBSCRIPTION_WORKFLOW_PATCHES = ['sign-up-promo-code', 'issue-16-fewer-round-trips', 'issue-16-steps-in-billing', 'issue-16-one-accounts-call-per-run'];

export const SUBSCRIPTION_SIGNALS = {
  cancel: 'cancelSubscription',
  planChanged: 'planChangeScheduled',
  paymentMethodUpdated: 'paymentMethodUpdated',
  invoicePaid: 'invoicePaid',
  /** an operator voided the open invoice (issue 15): stop collecting it */
  invoiceVoided: 'invoiceVoided',
  chargeback: 'chargebackReported',
  chargebackResolved: 'chargebackResolved',
  /** the customer subscribes during a trial (confirmSubscription) */
  trialConfirmed: 'trialConfirmed',
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
  /** ISO-8601: when the money was recorded (the lifecycle counts it from then) */
  paidAt?: string;
}
export interface InvoiceVoidedSignal {
  invoiceId: string;
}
export interface TrialConfirmedSignal {
  /** the plan to subscribe to; null or absent: the ordered plan */
  planCode?: string | null;
}
export interface ChargebackSignal {
  invoiceId: string;
  reason: string;
}

export const SUBSCRIPTION_QUERIES = {
  upcoming: 'upcoming',
  state: 'subscriptionState',
} as const;

/** What the state query answers: the lifecycle core's state and the status it derives. */
export type SubscriptionWorkflowState = LifecycleState & { status: SubscriptionStatus };

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
