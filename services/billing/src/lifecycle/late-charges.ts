import { DAY_MS, durationMs } from './bounds.ts';
import type { ContractPolicy } from './policy.ts';

/**
 * Late interest and the late fee of one invoice paid late [004 §6.3,
 * 001 §5.3.1], measured in exact milliseconds, so a seconds-long policy
 * behaves like the real one. Lateness within the policy's grace costs
 * nothing; past it, interest counts from the due time.
 */

/** Interest is quoted per month and charged as 1/30 of it per day. */
const INTEREST_MONTH_MS = 30 * DAY_MS;

export interface Lateness {
  /** milliseconds from the due time to the payment (0 when on time) */
  lateMs: number;
  /** past the grace: the fee and interest apply */
  chargeable: boolean;
}

export function lateness(policy: Pick<ContractPolicy, 'lateFeeGrace'>, dueAt: number, paidAt: number): Lateness {
  const lateMs = Math.max(0, paidAt - dueAt);
  return { lateMs, chargeable: lateMs > 0 && lateMs > durationMs(policy.lateFeeGrace) };
}

/** Round half away from zero of a non-negative quotient. */
function roundedQuotient(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/**
 * total × bp/10 000 × time late / 30 days, rounded once: per started day
 * (a minute late is a day) or pro rata to the millisecond.
 */
export function lateInterestMinor(totalMinor: number, monthlyBasisPoints: number, accrual: ContractPolicy['lateInterestAccrual'], lateMs: number): number {
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0) throw new RangeError(`total must be a non-negative integer, got ${totalMinor}`);
  if (lateMs <= 0) return 0;
  if (accrual === 'PER_STARTED_DAY') {
    const days = BigInt(Math.ceil(lateMs / DAY_MS));
    return Number(roundedQuotient(BigInt(totalMinor) * BigInt(monthlyBasisPoints) * days, 10_000n * 30n));
  }
  return Number(roundedQuotient(BigInt(totalMinor) * BigInt(monthlyBasisPoints) * BigInt(Math.round(lateMs)), 10_000n * BigInt(INTEREST_MONTH_MS)));
}

export interface LateCharges {
  lateMs: number;
  /** whole days counted (per started day) or the exact fraction, for the invoice line's text */
  daysLate: number;
  interestMinor: number;
  fee: boolean;
}

/** What an invoice paid (or cut off) at `paidAt` owes for being late under `policy`. */
export function lateCharges(
  policy: Pick<ContractPolicy, 'lateFeeGrace' | 'lateInterestMonthlyBasisPoints' | 'lateInterestAccrual'>,
  invoice: { totalMinor: number; dueAt: number; paidAt: number },
): LateCharges {
  const { lateMs, chargeable } = lateness(policy, invoice.dueAt, invoice.paidAt);
  const daysLate = policy.lateInterestAccrual === 'PER_STARTED_DAY' ? Math.ceil(lateMs / DAY_MS) : lateMs / DAY_MS;
  if (!chargeable) return { lateMs, daysLate, interestMinor: 0, fee: false };
  const bp = policy.lateInterestMonthlyBasisPoints;
  return {
    lateMs,
    daysLate,
    interestMinor: bp ? lateInterestMinor(invoice.totalMinor, bp, policy.lateInterestAccrual, lateMs) : 0,
    fee: true,
  };
}
