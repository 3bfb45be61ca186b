import { applyBasisPoints, money } from '../money.ts';

/**
 * What of an invoice can still be credited or refunded (issue 15): pure
 * rules, no I/O. Credits are per invoice line, net of KDV; the KDV of a
 * credit note is the credited net at the invoice's rate, and the note that
 * credits the last of the invoice takes exactly the KDV left, so credit
 * notes never add up to more than the invoice, not even by a rounding cent.
 */

export interface CreditableInvoice {
  currency: string;
  lines: readonly { kind: string; amount: { amountMinor: number } }[];
  subtotal: { amountMinor: number };
  tax: { amountMinor: number };
  taxRateBasisPoints: number;
}

/** One credit already taken from the invoice (a credit note, or one being issued). */
export interface CreditEntry {
  lines: readonly { index: number; amountMinor: number }[];
  taxMinor: number;
}

/** What an operator asks to credit: selected lines (each in full or in part) and/or a net amount. Neither: everything left. */
export interface CreditRequest {
  lines?: readonly { index: number; amountMinor?: number | null }[] | null;
  /** net of KDV, taken from the lines in their order */
  amountMinor?: number | null;
}

export type CreditProblem = 'UNKNOWN_LINE' | 'DUPLICATE_LINE' | 'INVALID_AMOUNT' | 'CREDIT_EXCEEDS_REMAINDER' | 'NOTHING_TO_CREDIT';

export interface PlannedCredit {
  lines: { index: number; amountMinor: number }[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export type CreditPlan = ({ ok: true } & PlannedCredit) | { ok: false; code: CreditProblem; field: string[] };

/** Lines in the KDV base that a credit note can reverse: every billed line, not the prepaid credit applied after KDV. */
export function isCreditableLine(line: { kind: string; amount: { amountMinor: number } }): boolean {
  return line.kind !== 'PREPAID_APPLIED' && line.amount.amountMinor > 0;
}

export interface CreditableRemainder {
  /** per creditable line (by its index on the invoice), the net amount not yet credited */
  lines: { index: number; remainingMinor: number }[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** What is left to credit after `credits`. */
export function creditableRemainder(invoice: CreditableInvoice, credits: readonly CreditEntry[]): CreditableRemainder {
  const creditedByLine = new Map<number, number>();
  let creditedNet = 0;
  let creditedTax = 0;
  for (const credit of credits) {
    for (const line of credit.lines) {
      creditedByLine.set(line.index, (creditedByLine.get(line.index) ?? 0) + line.amountMinor);
      creditedNet += line.amountMinor;
    }
    creditedTax += credit.taxMinor;
  }
  const lines = invoice.lines.flatMap((line, index) =>
    isCreditableLine(line) ? [{ index, remainingMinor: Math.max(0, line.amount.amountMinor - (creditedByLine.get(index) ?? 0)) }] : [],
  );
  // A negative line in the KDV base (a discount) lowers what can be credited below the sum of the lines.
  const subtotalMinor = Math.max(0, invoice.subtotal.amountMinor - creditedNet);
  const taxMinor = Math.max(0, invoice.tax.amountMinor - creditedTax);
  return { lines, subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor };
}

const isPositiveInteger = (value: number) => Number.isSafeInteger(value) && value > 0;

/** Turns a request into the credit note's lines and totals, or says why it cannot be. Never credits more than remains. */
export function planCredit(invoice: CreditableInvoice, credits: readonly CreditEntry[], request: CreditRequest): CreditPlan {
  const remainder = creditableRemainder(invoice, credits);
  const left = new Map(remainder.lines.map((line) => [line.index, line.remainingMinor]));
  const taken = new Map<number, number>();
  const take = (index: number, amountMinor: number) => {
    taken.set(index, (taken.get(index) ?? 0) + amountMinor);
    left.set(index, left.get(index)! - amountMinor);
  };

  const selected = request.lines ?? [];
  const seen = new Set<number>();
  for (const [position, line] of selected.entries()) {
    const field = ['lines', String(position)];
    if (!left.has(line.index)) return { ok: false, code: 'UNKNOWN_LINE', field: [...field, 'index'] };
    if (seen.has(line.index)) return { ok: false, code: 'DUPLICATE_LINE', field: [...field, 'index'] };
    seen.add(line.index);
    const amount = line.amountMinor ?? left.get(line.index)!;
    if (line.amountMinor != null && !isPositiveInteger(line.amountMinor)) return { ok: false, code: 'INVALID_AMOUNT', field: [...field, 'amountMinor'] };
    if (amount > left.get(line.index)! || amount === 0) return { ok: false, code: 'CREDIT_EXCEEDS_REMAINDER', field: [...field, 'amountMinor'] };
    take(line.index, amount);
  }

  const wholeRemainder = selected.length === 0 && request.amountMinor == null;
  let spread = wholeRemainder ? remainder.subtotalMinor : (request.amountMinor ?? 0);
  if (request.amountMinor != null && !isPositiveInteger(request.amountMinor)) return { ok: false, code: 'INVALID_AMOUNT', field: ['amountMinor'] };
  for (const line of remainder.lines) {
    if (spread === 0) break;
    const amount = Math.min(spread, left.get(line.index)!);
    if (amount > 0) take(line.index, amount);
    spread -= amount;
  }
  if (spread > 0) return { ok: false, code: 'CREDIT_EXCEEDS_REMAINDER', field: ['amountMinor'] };

  const lines = [...taken.entries()].sort(([a], [b]) => a - b).map(([index, amountMinor]) => ({ index, amountMinor }));
  const subtotalMinor = lines.reduce((sum, line) => sum + line.amountMinor, 0);
  if (subtotalMinor === 0) return { ok: false, code: 'NOTHING_TO_CREDIT', field: wholeRemainder ? ['invoiceId'] : ['amountMinor'] };
  if (subtotalMinor > remainder.subtotalMinor) return { ok: false, code: 'CREDIT_EXCEEDS_REMAINDER', field: selected.length ? ['lines'] : ['amountMinor'] };

  const last = subtotalMinor === remainder.subtotalMinor || [...left.values()].every((amount) => amount === 0);
  const atRate = applyBasisPoints(money(subtotalMinor, invoice.currency), invoice.taxRateBasisPoints).amountMinor;
  const taxMinor = last ? remainder.taxMinor : Math.min(atRate, remainder.taxMinor);
  return { ok: true, lines, subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor };
}

export type RefundPlan = { ok: true; amountMinor: number } | { ok: false; code: 'INVALID_AMOUNT' | 'REFUND_EXCEEDS_PAYMENT' | 'NOTHING_TO_REFUND'; field: string[] };

/** A refund of `amountMinor` (default: all that is left) of a payment of `paidMinor` after the refunds already taken. */
export function planRefund(paidMinor: number, refundedMinor: readonly number[], amountMinor?: number | null): RefundPlan {
  const left = paidMinor - refundedMinor.reduce((sum, amount) => sum + amount, 0);
  if (amountMinor != null && !isPositiveInteger(amountMinor)) return { ok: false, code: 'INVALID_AMOUNT', field: ['amountMinor'] };
  if (left <= 0) return { ok: false, code: 'NOTHING_TO_REFUND', field: ['invoiceId'] };
  const amount = amountMinor ?? left;
  if (amount > left) return { ok: false, code: 'REFUND_EXCEEDS_PAYMENT', field: ['amountMinor'] };
  return { ok: true, amountMinor: amount };
}
