import { DateTime } from 'luxon';
import type { Money } from '../workflows/contracts.ts';

const ZONE = 'Europe/Istanbul';

/**
 * How a payment institution gives money back (issue 15): a whole payment on
 * the Turkish calendar day it was made is cancelled (iyzico `cancel`: the
 * card is never debited at settlement); anything else, a part of a payment
 * or a later day, is refunded (iyzico `refund`).
 */
export function refundMethod(payment: Money & { paidAt: Date }, amount: Money, now: Date): 'CANCEL' | 'REFUND' {
  const day = (at: Date) => DateTime.fromJSDate(at, { zone: ZONE }).toISODate();
  const whole = amount.amountMinor === payment.amountMinor && amount.currency === payment.currency;
  return whole && day(payment.paidAt) === day(now) ? 'CANCEL' : 'REFUND';
}
