import { addDuration, subtractDuration } from '@omurga/shared/durations';
import type { CollectionMethod, PolicyTerms } from './contracts.ts';

/**
 * Billing rules shared by the subscription workflow and the billing API, so
 * both reach the same answer. Pure and deterministic (workflow-safe).
 */

/**
 * BIL-7: a cancellation asked for at `requestedAt` ends the current period
 * if the policy's notice still fits before its end, else the next one
 * [000 §4.8: "not canceled on the last day … valid for the following period";
 * 003 §6.4.2: 30 days before term end].
 */
export function cancellationEndsCurrentPeriod(requestedAt: number, periodEnd: number, cancellationNotice: string): boolean {
  return requestedAt <= subtractDuration(periodEnd, cancellationNotice);
}

/** How an invoice is collected: by charging the stored card, or by waiting for a transfer. */
export function collectionChannel(method: CollectionMethod, hasPaymentMethod: boolean): 'CARD' | 'TRANSFER' {
  if (method === 'CARD_AUTO') return 'CARD';
  if (method === 'BANK_TRANSFER') return 'TRANSFER';
  // ADVANCE: paid before the service starts, by card when one is on file [004 §6.3].
  return hasPaymentMethod ? 'CARD' : 'TRANSFER';
}

export interface DunningClock {
  channel: 'CARD' | 'TRANSFER';
  /** epoch ms of the first failed attempt (card) or the due date (transfer); null while nothing is overdue */
  overdueSince: number | null;
  attempts: number;
  /** epoch ms of the last failed attempt */
  lastFailureAt: number | null;
}

export interface DunningDeadlines {
  suspendAt: number | null;
  terminationNoticeAt: number | null;
  terminateAt: number | null;
}

/**
 * BIL-6: when an overdue subscription is suspended and terminated. Both count
 * from the first failed collection or the due date; a policy without
 * `suspendAfter` suspends right after the last failed card attempt [000 §4.7].
 */
export function dunningDeadlines(policy: PolicyTerms, clock: DunningClock): DunningDeadlines {
  if (clock.overdueSince === null) return { suspendAt: null, terminationNoticeAt: null, terminateAt: null };
  let suspendAt: number | null = null;
  if (policy.suspendAfter) suspendAt = addDuration(clock.overdueSince, policy.suspendAfter);
  else if (clock.channel === 'CARD' && clock.attempts >= policy.maxCollectionAttempts) suspendAt = clock.lastFailureAt;
  const terminateAt = policy.terminateAfter ? addDuration(clock.overdueSince, policy.terminateAfter) : null;
  const terminationNoticeAt = terminateAt !== null && policy.terminationNotice ? subtractDuration(terminateAt, policy.terminationNotice) : null;
  return { suspendAt, terminationNoticeAt, terminateAt };
}
