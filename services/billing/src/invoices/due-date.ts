import { addDuration, addTurkishBusinessDays, wholeDays } from '@omurga/shared';
import type { CollectionMethod } from '../workflows/contracts.ts';

export interface DueDatePolicy {
  collectionMethod: CollectionMethod;
  /** ISO-8601 duration after issue; null means due at issue */
  paymentDueAfter: string | null;
  paymentDueInBusinessDays: boolean;
}

/**
 * When an invoice is due (BIL-8). A card-collected invoice is charged at issue,
 * so it is due then. A bank-transfer or advance invoice is due
 * `paymentDueAfter` after issue; when the policy counts business days and the
 * duration is whole days (P7D), the due date is the end of the Nth Turkish
 * business day after the day of issue ["yedi (7) iş günü içinde", 003 §6.4.1].
 * Any other duration (P1M) is added on the calendar.
 */
export function invoiceDueAt(issuedAt: Date, policy: DueDatePolicy): Date {
  if (Number.isNaN(issuedAt.getTime())) throw new RangeError('Invalid date');
  if (policy.collectionMethod === 'CARD_AUTO' || policy.paymentDueAfter === null) return new Date(issuedAt.getTime());
  if (policy.paymentDueInBusinessDays) {
    const days = wholeDays(policy.paymentDueAfter);
    if (days !== null) return addTurkishBusinessDays(issuedAt, days);
  }
  return new Date(addDuration(issuedAt.getTime(), policy.paymentDueAfter));
}
