import { addDuration } from '@omurga/shared/durations';
import { cancellationEffectiveAt } from './cancellation.ts';
import {
  collectionChannel,
  type BillingEmail,
  type Decision,
  type LifecycleCommand,
  type LifecycleEvent,
  type LifecycleState,
  type Period,
  type PeriodKind,
  type SubscriptionStatus,
} from './model.ts';
import type { PolicyTerms } from './policy.ts';
import { dunningDeadlines, nextWakeAt, openInvoice, periodCanEnd, reminderAt } from './schedule.ts';

/**
 * The subscription lifecycle as one pure function (BIL-3 … BIL-11):
 * `decide(state, event, now)` answers the new state, the commands to carry
 * out (in order) and when to wake up next. No I/O and no clock of its own:
 * the workflow interprets the commands, feeds their results back as events,
 * and so does every test.
 */

const iso = (ms: number) => new Date(ms).toISOString();

export interface StartInput {
  subscriptionId: string;
  organizationId: string;
  /** the ordered plan, and the newest version of its policy */
  planCode: string;
  policy: PolicyTerms;
  hasPaymentMethod: boolean;
}

/** The status a subscription shows, derived from its state and nothing else. */
export function subscriptionStatus(state: LifecycleState): SubscriptionStatus {
  if (state.outcome !== null) return state.outcome.status;
  const suspended = state.suspendedForNonPayment || state.chargeback !== null || state.organizationSuspended;
  if (suspended) return 'SUSPENDED';
  if (state.period.kind === 'TRIAL') return 'TRIALING';
  if (state.period.policy.collectionMethod === 'ADVANCE' && !state.activated) return 'INCOMPLETE';
  if (openInvoice(state)?.overdueSince != null) return 'PAST_DUE';
  return 'ACTIVE';
}

function estimatedPeriod(index: number, kind: PeriodKind, start: number, planCode: string, policy: PolicyTerms): Period {
  const length = kind === 'TRIAL' ? policy.trialPeriod! : policy.billingPeriod;
  return { index, kind, start, end: addDuration(start, length), planCode, planVersion: null, policy, pinned: false };
}

/**
 * A new subscription at `now`: the trial (when the policy has one) or the
 * first period, as the core expects billing to pin it. The API answers with
 * this state at once (status, trial end, period, `upcoming`).
 */
export function startSubscription(input: StartInput, now: number): Decision {
  const kind: PeriodKind = input.policy.trialPeriod ? 'TRIAL' : 'PAID';
  const planCode = kind === 'TRIAL' ? (input.policy.trialPlanCode ?? input.planCode) : input.planCode;
  const state: LifecycleState = {
    subscriptionId: input.subscriptionId,
    organizationId: input.organizationId,
    planCode: input.planCode,
    pendingPlanCode: null,
    confirmed: false,
    hasPaymentMethod: input.hasPaymentMethod,
    period: estimatedPeriod(0, kind, now, planCode, input.policy),
    awaiting: 'PERIOD',
    invoice: null,
    cancelAtPeriodIndex: null,
    activated: false,
    suspendedForNonPayment: false,
    chargeback: null,
    organizationSuspended: false,
    suspendedSince: null,
    writeOffWhenSettled: null,
    recordedStatus: 'INCOMPLETE',
    outcome: null,
  };
  state.recordedStatus = subscriptionStatus(state);
  const commands: LifecycleCommand[] = [{ type: 'BEGIN_PERIOD', periodIndex: 0, periodStart: iso(now), kind, planCode }];
  return { state, commands, wakeAt: null };
}

/** History entries that always carry the status they leave, as the read model has always shown them. */
const STATUS_EVENTS = new Set([
  'TRIAL_STARTED',
  'TRIAL_CONVERTED',
  'INVOICE_PAID',
  'PAYMENT_RECOVERED',
  'PAYMENT_FAILED',
  'PAYMENT_OVERDUE',
  'SUSPENDED',
  'CHARGEBACK',
  'CHARGEBACK_RESOLVED',
  'ORGANIZATION_SUSPENDED',
  'ORGANIZATION_REINSTATED',
  'TERMINATED',
  'CANCELED',
  'TRIAL_ENDED',
]);

/** One decision in the making: the state is a private copy. */
class Step {
  readonly commands: LifecycleCommand[] = [];
  readonly state: LifecycleState;
  readonly now: number;

  constructor(state: LifecycleState, now: number) {
    this.state = JSON.parse(JSON.stringify(state)) as LifecycleState;
    this.now = now;
  }

  emit(command: LifecycleCommand): void {
    this.commands.push(command);
  }

  record(event: string, detail: string | null = null): void {
    const status = subscriptionStatus(this.state);
    const changed = status !== this.state.recordedStatus;
    this.state.recordedStatus = status;
    this.emit({ type: 'RECORD', event, detail, status: changed || STATUS_EVENTS.has(event) ? status : null });
  }

  /** An e-mail of this period, keyed by what it is about. */
  email(kind: BillingEmail, key: string, params: Record<string, string> = {}): void {
    this.emailOnce(kind, `${this.state.subscriptionId}/${this.state.period.index}/${key}`, params);
  }

  /** An e-mail under an idempotency key of its own. */
  emailOnce(kind: BillingEmail, key: string, params: Record<string, string> = {}): void {
    const invoice = this.state.invoice;
    const invoiceParams: Record<string, string> = invoice ? { invoiceNumber: invoice.number, amountMinor: String(invoice.totalMinor), currency: invoice.currency } : {};
    this.emit({ type: 'SEND_EMAIL', kind, key, invoiceId: invoice?.id ?? null, params: { ...invoiceParams, ...params } });
  }
}

/** Decides what `event`, arriving at `now`, does to the subscription. */
export function decide(state: LifecycleState, event: LifecycleEvent, now: number): Decision {
  const step = new Step(state, now);
  if (step.state.outcome !== null) afterTheEnd(step, event);
  else {
    apply(step, event);
    advance(step);
  }
  const s = step.state;
  if (s.outcome === null && subscriptionStatus(s) !== s.recordedStatus) step.record('STATUS_CHANGED');
  const suspended = subscriptionStatus(s) === 'SUSPENDED';
  if (suspended && s.suspendedSince === null) s.suspendedSince = now;
  if (!suspended && s.outcome === null) s.suspendedSince = null;
  return { state: s, commands: step.commands, wakeAt: nextWakeAt(s, now) };
}

/** An ended subscription charges nothing more; it only settles what was in flight when it ended. */
function afterTheEnd(step: Step, event: LifecycleEvent): void {
  const s = step.state;
  if (event.type === 'CHARGE_RESULT' && s.awaiting === 'CHARGE' && s.invoice?.id === event.invoiceId) {
    s.awaiting = null;
    s.invoice.charging = null;
    if (event.outcome.status === 'PAID' || event.outcome.status === 'ALREADY_PAID') {
      s.invoice.paid = true;
      s.invoice.paidAt = step.now;
      s.writeOffWhenSettled = null;
    } else if (event.outcome.status === 'VOIDED') {
      s.invoice.paid = true;
      s.invoice.voided = true;
      s.writeOffWhenSettled = null;
    }
  } else if (event.type === 'INVOICE_ISSUED' && s.awaiting === 'INVOICE') {
    // Issued while the organisation was being terminated: nothing is collected on it.
    s.awaiting = null;
    if (!event.settled) step.emit({ type: 'WRITE_OFF_INVOICE', invoiceId: event.invoiceId, reason: writeOffReason(s) });
  } else if (event.type === 'PERIOD_BEGUN' || event.type === 'CHARGE_RESULT' || event.type === 'RESTARTED') {
    // A charge lost in a crash is not asked for again after the end: the write-off settles it (a paid invoice cannot be written off).
    s.awaiting = null;
  } else if ((event.type === 'PAYMENT_RECORDED' || event.type === 'INVOICE_VOIDED') && s.invoice?.id === event.invoiceId) {
    s.invoice.paid = true;
    if (event.type === 'INVOICE_VOIDED') s.invoice.voided = true;
    s.writeOffWhenSettled = null;
  }
  if (s.awaiting === null && s.writeOffWhenSettled !== null) {
    step.emit({ type: 'WRITE_OFF_INVOICE', invoiceId: s.writeOffWhenSettled, reason: writeOffReason(s) });
    s.writeOffWhenSettled = null;
  }
}

const writeOffReason = (s: LifecycleState) => (s.outcome?.reason === 'NON_PAYMENT' ? 'TERMINATED_FOR_NON_PAYMENT' : `ENDED_${s.outcome?.reason ?? 'UNKNOWN'}`);

function apply(step: Step, event: LifecycleEvent): void {
  const s = step.state;
  const now = step.now;
  switch (event.type) {
    case 'TIME_REACHED':
      return;
    case 'RESTARTED':
      return repeatOutstanding(step);
    case 'PERIOD_BEGUN': {
      const { pinned } = event;
      if (s.awaiting !== 'PERIOD' || pinned.periodIndex !== s.period.index) return;
      s.awaiting = null;
      s.period = {
        index: pinned.periodIndex,
        kind: pinned.kind,
        start: Date.parse(pinned.periodStart),
        end: Date.parse(pinned.periodEnd),
        planCode: pinned.planCode,
        planVersion: pinned.planVersion,
        policy: pinned.policy,
        pinned: true,
      };
      s.hasPaymentMethod ||= pinned.hasPaymentMethod;
      s.confirmed ||= pinned.confirmed;
      s.invoice = null;
      if (pinned.kind === 'TRIAL') {
        step.record('TRIAL_STARTED', `${pinned.planCode} until ${pinned.periodEnd}`);
        step.email('TRIAL_STARTED', 'trial-started', { planCode: pinned.planCode, trialEndsAt: pinned.periodEnd });
        return;
      }
      s.planCode = pinned.planCode;
      if (s.pendingPlanCode === pinned.planCode) s.pendingPlanCode = null;
      if (pinned.periodIndex > 0) step.record('PERIOD_STARTED', `${pinned.planCode} v${pinned.planVersion}, ${pinned.periodStart} → ${pinned.periodEnd}`);
      s.awaiting = 'INVOICE';
      step.emit({ type: 'ISSUE_INVOICE', periodIndex: pinned.periodIndex, issuedAt: iso(now) });
      return;
    }
    case 'INVOICE_ISSUED': {
      if (s.awaiting !== 'INVOICE' || event.periodIndex !== s.period.index) return;
      s.awaiting = null;
      const policy = s.period.policy;
      const dueAt = Date.parse(event.dueAt);
      s.invoice = {
        id: event.invoiceId,
        number: event.number,
        periodIndex: event.periodIndex,
        totalMinor: event.total.amountMinor,
        currency: event.total.currency,
        issuedAt: now,
        dueAt,
        channel: collectionChannel(policy.collectionMethod, s.hasPaymentMethod, policy.advanceRequiresPaymentMethod),
        paid: false,
        paidAt: null,
        attempts: 0,
        scheduledAttempts: 0,
        nextAttemptAt: null,
        retryNow: false,
        charging: null,
        overdueSince: null,
        lastFailureAt: null,
        // A reminder whose time has passed at issue is not sent late.
        reminderSent: false,
        dueNoticeSent: false,
        terminationNoticeSent: false,
      };
      s.invoice.reminderSent = reminderAt(s.invoice) < now;
      step.record('INVOICE_ISSUED', `${event.number} ${event.total.amountMinor} ${event.total.currency}`);
      step.email('INVOICE_ISSUED', 'invoice-issued', { dueAt: event.dueAt });
      if (event.settled) return markPaid(step, now);
      if (s.invoice.channel === 'CARD') s.invoice.nextAttemptAt = now;
      return;
    }
    case 'PAYMENT_RECORDED': {
      const invoice = openInvoice(s);
      if (!invoice || invoice.id !== event.invoiceId) return;
      // Money that arrived counts when it arrived, never in the future.
      return markPaid(step, Math.min(Date.parse(event.at), now));
    }
    case 'INVOICE_VOIDED': {
      const invoice = openInvoice(s);
      if (!invoice || invoice.id !== event.invoiceId) return;
      return settleVoided(step);
    }
    case 'CHARGE_RESULT': {
      const invoice = s.invoice;
      if (s.awaiting !== 'CHARGE' || !invoice || invoice.id !== event.invoiceId || event.attempt !== invoice.attempts) return;
      s.awaiting = null;
      const charging = invoice.charging!;
      invoice.charging = null;
      const { outcome } = event;
      if (outcome.status === 'PAID' || outcome.status === 'ALREADY_PAID') return markPaid(step, charging.at);
      if (invoice.paid) return;
      if (outcome.status === 'VOIDED') return settleVoided(step);
      const reason = outcome.status === 'DECLINED' ? outcome.declineCode : outcome.status;
      invoice.overdueSince ??= now;
      invoice.lastFailureAt = now;
      const policy = s.period.policy;
      // A customer's own retry (a new card) does not move the policy's schedule.
      if (!charging.customer) invoice.nextAttemptAt = invoice.scheduledAttempts < policy.maxCollectionAttempts ? addDuration(now, policy.retryInterval) : null;
      step.record('PAYMENT_FAILED', `attempt ${invoice.attempts}: ${reason}`);
      step.email('PAYMENT_FAILED', `payment-failed/${invoice.attempts}`, {
        attempt: String(invoice.attempts),
        maxAttempts: String(policy.maxCollectionAttempts),
        reason,
        nextAttemptAt: invoice.nextAttemptAt === null ? '' : iso(invoice.nextAttemptAt),
      });
      return;
    }
    case 'CANCEL_REQUESTED': {
      const { lastPeriodIndex } = cancellationEffectiveAt(s.period, s.period.policy, Date.parse(event.requestedAt), event.noticeWaived);
      // A second request can bring the end forward (a waived notice), never push it back.
      if (s.cancelAtPeriodIndex !== null && s.cancelAtPeriodIndex <= lastPeriodIndex) return;
      s.cancelAtPeriodIndex = lastPeriodIndex;
      return;
    }
    case 'PLAN_CHANGE_REQUESTED':
      // Choosing a plan during a trial is the decision to subscribe [003 §7.2.2].
      if (s.period.kind === 'TRIAL') s.confirmed = true;
      s.pendingPlanCode = event.planCode === s.planCode ? null : event.planCode;
      return;
    case 'TRIAL_CONFIRMED':
      if (s.period.kind !== 'TRIAL') return;
      s.confirmed = true;
      if (event.planCode !== null) s.pendingPlanCode = event.planCode === s.planCode ? null : event.planCode;
      step.record('TRIAL_CONFIRMED', s.pendingPlanCode ?? s.planCode);
      return;
    case 'PAYMENT_METHOD_UPDATED': {
      s.hasPaymentMethod = true;
      if (s.period.kind === 'TRIAL') s.confirmed = true;
      const invoice = openInvoice(s);
      if (invoice && invoice.channel === 'CARD' && invoice.attempts > 0) invoice.retryNow = true;
      return;
    }
    case 'CHARGEBACK':
      if (s.chargeback !== null) return;
      s.chargeback = { invoiceId: event.invoiceId, reason: event.reason };
      step.emit({ type: 'SUSPEND_ORGANIZATION', reason: 'CHARGEBACK', note: event.reason });
      step.record('CHARGEBACK', `${event.invoiceId}: ${event.reason}`);
      step.email('SUBSCRIPTION_SUSPENDED', `chargeback/${event.invoiceId}`, { reason: 'CHARGEBACK' });
      return;
    case 'CHARGEBACK_RESOLVED':
      if (s.chargeback === null) return;
      s.chargeback = null;
      step.emit({ type: 'REINSTATE_ORGANIZATION', reason: 'CHARGEBACK' });
      step.record('CHARGEBACK_RESOLVED');
      return;
    case 'ORGANIZATION_CHANGED':
      if (event.change === 'TERMINATED') return terminate(step, event.reason, false);
      if (event.change === 'SUSPENDED') {
        if (s.organizationSuspended) return;
        s.organizationSuspended = true;
        step.record('ORGANIZATION_SUSPENDED', event.reason);
        return;
      }
      if (!s.organizationSuspended) return;
      s.organizationSuspended = false;
      step.record('ORGANIZATION_REINSTATED', event.reason);
      return;
  }
}

/** After a restart, the command whose result never came is asked for again (each is idempotent). */
function repeatOutstanding(step: Step): void {
  const s = step.state;
  if (s.awaiting === 'PERIOD') {
    step.emit({ type: 'BEGIN_PERIOD', periodIndex: s.period.index, periodStart: iso(s.period.start), kind: s.period.kind, planCode: s.period.planCode });
  } else if (s.awaiting === 'INVOICE') {
    step.emit({ type: 'ISSUE_INVOICE', periodIndex: s.period.index, issuedAt: iso(step.now) });
  } else if (s.awaiting === 'CHARGE') {
    // Money that arrived meanwhile settles it: a paid invoice is never charged again.
    if (s.invoice!.paid) s.awaiting = null;
    else step.emit({ type: 'CHARGE_INVOICE', invoiceId: s.invoice!.id, attempt: s.invoice!.attempts });
  }
}

/** Acts on every time that has come, in order, until nothing is due or a result is awaited. */
function advance(step: Step): void {
  const s = step.state;
  for (let guard = 0; guard < 64 && s.outcome === null && s.awaiting === null; guard++) {
    if (!act(step)) return;
  }
}

/** Does the first thing due at `now`; false when nothing is. */
function act(step: Step): boolean {
  const s = step.state;
  const now = step.now;
  const invoice = openInvoice(s);
  if (!invoice) {
    if (!periodCanEnd(s) || now < s.period.end) return false;
    if (s.period.kind === 'TRIAL') endTrial(step);
    else if (s.cancelAtPeriodIndex !== null && s.cancelAtPeriodIndex <= s.period.index) cancel(step, 'CANCELED_BY_CUSTOMER', 'CANCELED');
    else beginPeriod(step, s.period.index + 1, s.period.end);
    return true;
  }
  const policy = s.period.policy;
  if (invoice.channel === 'TRANSFER') {
    if (!invoice.reminderSent && now >= reminderAt(invoice)) {
      invoice.reminderSent = true;
      step.emailOnce('PAYMENT_REMINDER', `${invoice.id}/PAYMENT_REMINDER`, { dueAt: iso(invoice.dueAt) });
      return true;
    }
    if (!invoice.dueNoticeSent && now >= invoice.dueAt) {
      invoice.dueNoticeSent = true;
      invoice.reminderSent = true;
      invoice.overdueSince ??= invoice.dueAt;
      step.record('PAYMENT_OVERDUE', invoice.number);
      step.emailOnce('PAYMENT_OVERDUE', `${invoice.id}/PAYMENT_OVERDUE`, { dueAt: iso(invoice.dueAt) });
      return true;
    }
  } else if (invoice.retryNow || (invoice.nextAttemptAt !== null && now >= invoice.nextAttemptAt)) {
    const customer = invoice.retryNow && (invoice.nextAttemptAt === null || now < invoice.nextAttemptAt);
    invoice.retryNow = false;
    invoice.attempts += 1;
    if (!customer) {
      invoice.scheduledAttempts += 1;
      invoice.nextAttemptAt = null;
    }
    // The first attempt is made as the period starts: money it collects counts from the start (ADVANCE moves no period for it).
    invoice.charging = { at: invoice.attempts === 1 && !customer ? Math.min(now, s.period.start) : now, customer };
    s.awaiting = 'CHARGE';
    step.emit({ type: 'CHARGE_INVOICE', invoiceId: invoice.id, attempt: invoice.attempts });
    return true;
  }
  const deadlines = dunningDeadlines(policy, invoice);
  if (!s.suspendedForNonPayment && deadlines.suspendAt !== null && now >= deadlines.suspendAt) {
    s.suspendedForNonPayment = true;
    step.emit({ type: 'SUSPEND_ORGANIZATION', reason: 'NON_PAYMENT', note: null });
    step.record('SUSPENDED', 'NON_PAYMENT');
    step.email('SUBSCRIPTION_SUSPENDED', 'suspended', { reason: 'NON_PAYMENT' });
    return true;
  }
  if (!invoice.terminationNoticeSent && deadlines.terminationNoticeAt !== null && deadlines.terminateAt !== null && now >= deadlines.terminationNoticeAt) {
    invoice.terminationNoticeSent = true;
    step.email('TERMINATION_NOTICE', 'termination-notice', { terminateAt: iso(deadlines.terminateAt) });
    return true;
  }
  if (deadlines.terminateAt !== null && now >= deadlines.terminateAt) {
    terminate(step, 'NON_PAYMENT', true);
    return true;
  }
  return false;
}

function beginPeriod(step: Step, index: number, start: number): void {
  const s = step.state;
  const planCode = s.pendingPlanCode ?? s.planCode;
  s.period = estimatedPeriod(index, 'PAID', start, planCode, s.period.policy);
  s.invoice = null;
  s.awaiting = 'PERIOD';
  step.emit({ type: 'BEGIN_PERIOD', periodIndex: index, periodStart: iso(start), kind: 'PAID', planCode });
}

/** BIL-4: at the trial's end, convert, or end as the policy says. */
function endTrial(step: Step): void {
  const s = step.state;
  const policy = s.period.policy;
  if (s.cancelAtPeriodIndex !== null && s.cancelAtPeriodIndex <= s.period.index) return cancel(step, 'CANCELED_BY_CUSTOMER', 'CANCELED');
  if (policy.trialEndAction === 'CANCEL_UNLESS_CONFIRMED' && !s.confirmed) return cancel(step, 'TRIAL_ENDED_NOT_SUBSCRIBED', 'TRIAL_ENDED');
  const cardNeeded = policy.collectionMethod === 'CARD_AUTO' || (policy.collectionMethod === 'ADVANCE' && policy.advanceRequiresPaymentMethod);
  if (cardNeeded && !s.hasPaymentMethod) return cancel(step, 'TRIAL_ENDED_WITHOUT_PAYMENT_METHOD', 'TRIAL_ENDED');
  beginPeriod(step, s.period.index + 1, s.period.end);
  // No longer TRIALING from the trial's end on, paid or not.
  step.record('TRIAL_CONVERTED', s.period.planCode);
}

/** The invoice is paid: dunning ends, a suspension for non-payment is lifted at once (BIL-6), the partner earns (BIL-11). */
function markPaid(step: Step, paidAt: number): void {
  const s = step.state;
  const invoice = s.invoice!;
  const wasOverdue = invoice.overdueSince !== null;
  const wasSuspended = s.suspendedForNonPayment;
  invoice.paid = true;
  invoice.paidAt = paidAt;
  invoice.nextAttemptAt = null;
  invoice.retryNow = false;
  invoice.overdueSince = null;
  if (wasSuspended) {
    s.suspendedForNonPayment = false;
    step.emit({ type: 'REINSTATE_ORGANIZATION', reason: 'NON_PAYMENT' });
  }
  const policy = s.period.policy;
  if (policy.collectionMethod === 'ADVANCE') {
    s.activated = true;
    // [004 §6.3] service starts when the money arrives: the period is counted from then.
    if (policy.advancePeriodStartsOnPayment && paidAt > s.period.start) {
      s.period.start = paidAt;
      s.period.end = addDuration(paidAt, policy.billingPeriod);
      step.emit({ type: 'MOVE_PERIOD', periodIndex: s.period.index, periodStart: iso(s.period.start), periodEnd: iso(s.period.end) });
    }
  }
  step.record(wasOverdue ? 'PAYMENT_RECOVERED' : 'INVOICE_PAID', invoice.number);
  step.email(wasSuspended ? 'SUBSCRIPTION_RESTORED' : 'PAYMENT_SUCCEEDED', 'paid');
  step.emit({ type: 'ACCRUE_COMMISSION', invoiceId: invoice.id });
}

/**
 * An operator voided the open invoice (issue 15): it is settled without
 * money. Collection and dunning stop, a suspension for non-payment is lifted;
 * no payment e-mail and no commission. The period runs to its end as billed.
 */
function settleVoided(step: Step): void {
  const s = step.state;
  const invoice = s.invoice!;
  invoice.paid = true;
  invoice.voided = true;
  invoice.nextAttemptAt = null;
  invoice.retryNow = false;
  invoice.overdueSince = null;
  if (s.suspendedForNonPayment) {
    s.suspendedForNonPayment = false;
    step.emit({ type: 'REINSTATE_ORGANIZATION', reason: 'NON_PAYMENT' });
  }
  step.record('INVOICE_VOIDED', invoice.number);
}

function finish(step: Step, status: 'CANCELED' | 'TERMINATED', reason: string): void {
  const s = step.state;
  s.outcome = { status, periodIndex: s.period.index, reason };
}

/** The contract ends with this period (BIL-7, BIL-4); the policy may erase and hold after it [000 §7.5]. */
function cancel(step: Step, reason: string, event: 'CANCELED' | 'TRIAL_ENDED'): void {
  const s = step.state;
  const policy = s.period.policy;
  const now = step.now;
  finish(step, 'CANCELED', reason);
  step.record(event, reason);
  step.email(event === 'TRIAL_ENDED' ? 'TRIAL_ENDED' : 'SUBSCRIPTION_CANCELED', 'canceled', { reason });
  if (policy.resourceHoldAfterCancellation !== null) step.emit({ type: 'HOLD_RESOURCES', holdUntil: iso(holdFrom(s, now, policy.resourceHoldAfterCancellation)) });
  if (policy.dataDeletionAfterCancellation !== null) {
    const eraseAt = iso(addDuration(now, policy.dataDeletionAfterCancellation));
    step.emit({ type: 'SCHEDULE_ERASURE', eraseAt, reason: 'CONTRACT_ENDED', unlessOtherLive: true });
  }
  step.emit({ type: 'FINISH', outcome: s.outcome! });
}

/** [004 §11.3] the hold counts from the suspension that preceded the end, where the policy says so. */
function holdFrom(s: LifecycleState, now: number, hold: string): number {
  const from = s.period.policy.resourceHoldStartsAt === 'SUSPENSION' && s.suspendedSince !== null ? s.suspendedSince : now;
  return addDuration(from, hold);
}

/**
 * BIL-6 / ACC-6: the subscription is terminated, for non-payment (billing
 * terminates the organisation) or because an operator terminated the
 * organisation (accounts already did). Nothing is charged after this; the
 * open invoice is written off and the policy's deletion runs.
 */
function terminate(step: Step, reason: string, forNonPayment: boolean): void {
  const s = step.state;
  const policy = s.period.policy;
  const now = step.now;
  const invoice = openInvoice(s);
  finish(step, 'TERMINATED', forNonPayment ? 'NON_PAYMENT' : reason);
  if (invoice) {
    if (s.awaiting === 'CHARGE') s.writeOffWhenSettled = invoice.id;
    else step.emit({ type: 'WRITE_OFF_INVOICE', invoiceId: invoice.id, reason: writeOffReason(s) });
  }
  if (forNonPayment) step.emit({ type: 'TERMINATE_ORGANIZATION', reason: 'NON_PAYMENT' });
  step.record('TERMINATED', forNonPayment ? 'NON_PAYMENT' : reason);
  step.email('SUBSCRIPTION_TERMINATED', 'terminated', forNonPayment ? {} : { reason });
  if (policy.resourceHoldPeriod !== null) step.emit({ type: 'HOLD_RESOURCES', holdUntil: iso(holdFrom(s, now, policy.resourceHoldPeriod)) });
  const eraseAt = iso(addDuration(now, policy.dataDeletionAfterTermination));
  step.emit({ type: 'SCHEDULE_ERASURE', eraseAt, reason: forNonPayment ? 'TERMINATED_FOR_NON_PAYMENT' : 'TERMINATED_BY_OPERATOR', unlessOtherLive: false });
  step.emit({ type: 'FINISH', outcome: s.outcome! });
}
