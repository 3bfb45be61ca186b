import { addDuration, subtractDuration } from '@omurga/shared/durations';
import type { PeriodKind } from './model.ts';
import type { ContractPolicy } from './policy.ts';

/**
 * BIL-7: a cancellation asked for at `requestedAt` ends the current period
 * if the policy's notice still fits before its end, else the next one
 * [000 §4.8: "not canceled on the last day … valid for the following period";
 * 003 §6.4.2: 30 days before term end]. A trial ends with its own end; a
 * waived notice (a terms objection, CON-4, or an erasure, CON-6) ends the
 * current period. The API's preview and the lifecycle core both call this.
 */
export function cancellationEffectiveAt(
  period: { index: number; kind: PeriodKind; end: number },
  policy: Pick<ContractPolicy, 'cancellationNotice' | 'billingPeriod'>,
  requestedAt: number,
  noticeWaived: boolean,
): { lastPeriodIndex: number; effectiveAt: number } {
  const endsCurrent = period.kind === 'TRIAL' || noticeWaived || cancellationEndsCurrentPeriod(requestedAt, period.end, policy.cancellationNotice);
  return endsCurrent
    ? { lastPeriodIndex: period.index, effectiveAt: period.end }
    : { lastPeriodIndex: period.index + 1, effectiveAt: addDuration(period.end, policy.billingPeriod) };
}

export function cancellationEndsCurrentPeriod(requestedAt: number, periodEnd: number, cancellationNotice: string): boolean {
  return requestedAt <= subtractDuration(periodEnd, cancellationNotice);
}
