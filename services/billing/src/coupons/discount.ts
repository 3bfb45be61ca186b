import { applyBasisPoints, formatMoney, money, type Money } from '../money.ts';

/**
 * The pure rules of a coupon (issue 15): what it takes off an invoice, for
 * which periods, and whether it may still be redeemed. Amounts are integer
 * minor units; a percentage is rounded once, half away from zero, to the
 * kuruş (money.ts), and nothing ever takes more off than the discounted lines.
 */

export const COUPON_DURATIONS = ['ONCE', 'REPEATING', 'FOREVER'] as const;
export type CouponDuration = (typeof COUPON_DURATIONS)[number];

/** What a coupon takes off: a percentage (basis points, 2000 = 20 %) or a fixed amount per currency. */
export interface CouponTerms {
  code: string;
  percentOffBasisPoints: number | null;
  amountsOff: readonly Money[];
  duration: CouponDuration;
  /** REPEATING only: how many invoices it discounts */
  durationPeriods: number | null;
}

export interface CouponAvailability {
  active: boolean;
  expiresAt: Date | null;
  /** null: any plan */
  planCodes: readonly string[] | null;
  /** redemptions left; null: no limit */
  remaining: number | null;
}

/** How many invoices the coupon discounts: 1, N, or every one (Infinity). */
export function discountedPeriods(terms: Pick<CouponTerms, 'duration' | 'durationPeriods'>): number {
  if (terms.duration === 'ONCE') return 1;
  if (terms.duration === 'FOREVER') return Number.POSITIVE_INFINITY;
  return terms.durationPeriods ?? 0;
}

/** Whether the invoice after `alreadyDiscounted` discounted ones still gets the discount. */
export function discountStillApplies(terms: Pick<CouponTerms, 'duration' | 'durationPeriods'>, alreadyDiscounted: number): boolean {
  return alreadyDiscounted < discountedPeriods(terms);
}

/**
 * What the coupon takes off `base` (the sum of the discounted lines): never
 * negative, never more than `base`, zero for a currency it has no amount in.
 */
export function discountOff(base: Money, terms: Pick<CouponTerms, 'percentOffBasisPoints' | 'amountsOff'>): Money {
  if (base.amountMinor <= 0) return money(0, base.currency);
  let off = 0;
  if (terms.percentOffBasisPoints !== null) {
    const basisPoints = Math.min(Math.max(terms.percentOffBasisPoints, 0), 10_000);
    off = applyBasisPoints(base, basisPoints).amountMinor;
  } else {
    off = Math.max(terms.amountsOff.find((amount) => amount.currency === base.currency)?.amountMinor ?? 0, 0);
  }
  return money(Math.min(off, base.amountMinor), base.currency);
}

/** The invoice line's text: "Coupon SPRING20: 20 % off (1 of 3)". */
export function discountDescription(terms: CouponTerms, base: Money, ordinal: number, locale: 'tr' | 'en' = 'en'): string {
  const what =
    terms.percentOffBasisPoints !== null
      ? `${terms.percentOffBasisPoints / 100} %`
      : formatMoney(terms.amountsOff.find((a) => a.currency === base.currency) ?? money(0, base.currency), locale);
  const periods = discountedPeriods(terms);
  const which = Number.isFinite(periods) ? ` (${ordinal} of ${periods})` : '';
  return locale === 'tr' ? `İndirim kuponu ${terms.code}: ${what}${which}` : `Coupon ${terms.code}: ${what} off${which}`;
}

/**
 * Why a coupon may not be redeemed now for `planCode` in `currency`, or null.
 * The reasons are for logs and operators; customers only ever hear "not valid".
 */
export function redemptionProblem(
  coupon: CouponAvailability & Pick<CouponTerms, 'percentOffBasisPoints' | 'amountsOff'>,
  at: { planCode: string; currency: string; now: Date },
): 'INACTIVE' | 'EXPIRED' | 'EXHAUSTED' | 'NOT_FOR_PLAN' | 'NOT_IN_CURRENCY' | null {
  if (!coupon.active) return 'INACTIVE';
  if (coupon.expiresAt && coupon.expiresAt.getTime() <= at.now.getTime()) return 'EXPIRED';
  if (coupon.remaining !== null && coupon.remaining <= 0) return 'EXHAUSTED';
  if (coupon.planCodes && coupon.planCodes.length > 0 && !coupon.planCodes.includes(at.planCode)) return 'NOT_FOR_PLAN';
  if (coupon.percentOffBasisPoints === null && !coupon.amountsOff.some((a) => a.currency === at.currency)) return 'NOT_IN_CURRENCY';
  return null;
}
