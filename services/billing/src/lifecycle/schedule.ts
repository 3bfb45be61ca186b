import { addDuration, subtractDuration } from '@omurga/shared/durations';
import type { InvoiceState, LifecycleState, UpcomingEvent } from './model.ts';
import type { ContractPolicy } from './policy.ts';

/**
 * The times that move a subscription, computed in one place: the core acts on
 * them (decide.ts), sleeps until the next one (`nextWakeAt`), and shows them
 * (`upcoming`, BIL-3), so the three never disagree.
 */

/** A bank-transfer reminder goes out this long before the due date (BIL-8). */
export const REMINDER_BEFORE_DUE = 'P2D';

export interface DunningDeadlines {
  suspendAt: number | null;
  terminationNoticeAt: number | null;
  terminateAt: number | null;
}

type DunningPolicy = Pick<ContractPolicy, 'suspendAfter' | 'terminateAfter' | 'terminationNotice' | 'maxCollectionAttempts'>;

/**
 * BIL-6: when an overdue invoice suspends and terminates. Both count from the
 * first failed collection or the due date; a policy without `suspendAfter`
 * suspends right after the last failed card attempt [000 §4.7].
 */
export function dunningDeadlines(policy: DunningPolicy, invoice: Pick<InvoiceState, 'channel' | 'overdueSince' | 'scheduledAttempts' | 'lastFailureAt'>): DunningDeadlines {
  if (invoice.overdueSince === null) return { suspendAt: null, terminationNoticeAt: null, terminateAt: null };
  let suspendAt: number | null = null;
  if (policy.suspendAfter !== null) suspendAt = addDuration(invoice.overdueSince, policy.suspendAfter);
  else if (invoice.channel === 'CARD' && invoice.scheduledAttempts >= policy.maxCollectionAttempts) suspendAt = invoice.lastFailureAt;
  const terminateAt = policy.terminateAfter !== null ? addDuration(invoice.overdueSince, policy.terminateAfter) : null;
  const terminationNoticeAt = terminateAt !== null && policy.terminationNotice !== null ? subtractDuration(terminateAt, policy.terminationNotice) : null;
  return { suspendAt, terminationNoticeAt, terminateAt };
}

export function reminderAt(invoice: InvoiceState): number {
  return subtractDuration(invoice.dueAt, REMINDER_BEFORE_DUE);
}

/** An unpaid invoice of a paid period, the only thing dunning works on. */
export function openInvoice(state: LifecycleState): InvoiceState | null {
  return state.invoice !== null && !state.invoice.paid ? state.invoice : null;
}

/** A paid period whose invoice is settled ends at its end, unless a chargeback holds it. */
export function periodCanEnd(state: LifecycleState): boolean {
  if (state.period.kind === 'TRIAL') return true;
  return state.invoice !== null && state.invoice.paid && state.chargeback === null;
}

/** Every time at which the core has something to do, in the order it does them. */
function dueTimes(state: LifecycleState): number[] {
  if (state.outcome !== null || state.awaiting !== null) return [];
  const invoice = openInvoice(state);
  if (!invoice) return periodCanEnd(state) && (state.period.kind === 'TRIAL' || state.invoice !== null) ? [state.period.end] : [];
  const policy = state.period.policy;
  const times: (number | null)[] = [];
  if (invoice.channel === 'TRANSFER') {
    if (!invoice.reminderSent) times.push(reminderAt(invoice));
    if (!invoice.dueNoticeSent) times.push(invoice.dueAt);
  } else {
    times.push(invoice.nextAttemptAt);
  }
  const deadlines = dunningDeadlines(policy, invoice);
  if (!state.suspendedForNonPayment) times.push(deadlines.suspendAt);
  if (!invoice.terminationNoticeSent) times.push(deadlines.terminationNoticeAt);
  times.push(deadlines.terminateAt);
  return times.filter((t): t is number => t !== null);
}

/** When to wake up next: the soonest time still ahead, or null when only an event can move the subscription. */
export function nextWakeAt(state: LifecycleState, now: number): number | null {
  const ahead = dueTimes(state).filter((t) => t > now);
  return ahead.length ? Math.min(...ahead) : null;
}

/** True when some time has come that the core has not acted on yet. */
export function somethingDue(state: LifecycleState, now: number): boolean {
  return dueTimes(state).some((t) => t <= now);
}

/**
 * Why a live subscription has no wake-up: it waits for the customer's money
 * under a policy that never terminates on its own [001 §5.1.3], or for a
 * chargeback's resolution (BIL-10). Null when it should have one.
 */
export function waitingWithoutDeadline(state: LifecycleState): 'PAYMENT' | 'CHARGEBACK' | null {
  if (state.outcome !== null || state.awaiting !== null) return null;
  if (openInvoice(state) && state.period.policy.terminateAfter === null) return 'PAYMENT';
  if (state.invoice?.paid && state.chargeback !== null) return 'CHARGEBACK';
  return null;
}

/** BIL-3: what will happen next, with times, soonest first; never a time already past. */
export function upcoming(state: LifecycleState, now: number): UpcomingEvent[] {
  if (state.outcome !== null) return [];
  const { period } = state;
  const policy = period.policy;
  const events: UpcomingEvent[] = [];
  const add = (at: number | null, type: string, detail: string | null = null) => {
    if (at !== null && at > now) events.push({ at, type, detail });
  };
  const invoice = openInvoice(state);
  if (invoice) {
    const deadlines = dunningDeadlines(policy, invoice);
    if (invoice.channel === 'CARD') add(invoice.nextAttemptAt, 'PAYMENT_ATTEMPT', `attempt ${invoice.scheduledAttempts + 1} of ${policy.maxCollectionAttempts}`);
    if (invoice.channel === 'TRANSFER' && invoice.overdueSince === null) add(invoice.dueAt, 'PAYMENT_DUE', null);
    if (!state.suspendedForNonPayment) add(deadlines.suspendAt, 'SUSPENSION', 'NON_PAYMENT');
    if (!invoice.terminationNoticeSent) add(deadlines.terminationNoticeAt, 'TERMINATION_NOTICE', null);
    add(deadlines.terminateAt, 'TERMINATION', 'NON_PAYMENT');
    if (deadlines.terminateAt !== null) add(addDuration(deadlines.terminateAt, policy.dataDeletionAfterTermination), 'DATA_ERASURE', null);
  } else if (state.cancelAtPeriodIndex === period.index) {
    add(period.end, 'CANCELLATION', period.kind === 'TRIAL' ? 'at trial end' : 'at period end');
  } else if (period.kind === 'TRIAL') {
    add(period.end, 'TRIAL_END', trialEndDetail(state));
  } else {
    add(period.end, state.pendingPlanCode ? 'PLAN_CHANGE' : 'RENEWAL', state.pendingPlanCode ?? state.planCode);
    if (state.cancelAtPeriodIndex === period.index + 1) add(addDuration(period.end, policy.billingPeriod), 'CANCELLATION', 'at the end of the next period');
  }
  return events.sort((a, b) => a.at - b.at);
}

function trialEndDetail(state: LifecycleState): string | null {
  const policy = state.period.policy;
  if (state.confirmed) return `converts to ${state.pendingPlanCode ?? state.planCode}`;
  if (policy.trialEndAction === 'CANCEL_UNLESS_CONFIRMED') return 'ends unless subscribed';
  return state.pendingPlanCode ? `converts to ${state.pendingPlanCode}` : null;
}
