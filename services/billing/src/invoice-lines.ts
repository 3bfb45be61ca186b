import { discountOff, type CouponTerms } from './coupons/discount.ts';
import { lateCharges, type LateInterestAccrual } from './lifecycle/index.ts';
import type { InvoiceLine } from './models/invoices.ts';
import {
  applyBasisPoints,
  applyPpm,
  assertSameCurrency,
  formatMoney,
  KDV_RATE_BASIS_POINTS,
  microsToMinor,
  minorToMicros,
  money,
  multiplyMoney,
  sumMoney,
  type Money,
} from './money.ts';

/**
 * The lines and totals of one invoice (BIL-8), as a pure function of what is
 * billed. Every amount is in the invoice's currency (anything else is
 * rejected); each line is rounded once, KDV once on the subtotal (BIL-2).
 */

export interface ComposeInvoiceInput {
  currency: string;
  plan: { code: string; name: string; price: Money };
  addOns?: { code: string; name: string; unitPrice: Money; quantity: number }[];
  /**
   * A coupon's discount of the plan and add-ons (issue 15): a negative line
   * before KDV, so KDV, and stamp duty, are computed on the discounted amount.
   */
  discount?: { terms: Pick<CouponTerms, 'code' | 'percentOffBasisPoints' | 'amountsOff'>; description: string } | null;
  /** the period's metered usage; only quantity above `includedQuantity` is billed */
  usage?: {
    meterCode: string;
    name: string;
    unit: string;
    quantity: number;
    includedQuantity: number;
    unitPriceMicros: number;
    /**
     * drawn from the prepaid balance (BIL-9 [004 §6.2]): billed in full with
     * KDV, and what the balance paid is credited after tax (PREPAID_APPLIED)
     */
    prepaid: boolean;
    /** what the meter's records drew from the balance (prepaid meters) */
    prepaidDebitMicros?: number;
  }[];
  oneOffFees?: { code: string; name: string; price: Money }[];
  /**
   * Earlier invoices paid late whose late charges this invoice bills: interest
   * [004 §6.3] and the fixed fee [001 §5.3.1], measured in exact time past the
   * policy's grace (lifecycle/late-charges.ts). `paidAt` is when it was paid
   * (or the cut-off, for one still unpaid).
   */
  overdue?: { invoiceNumber: string; total: Money; dueAt: Date; paidAt: Date }[];
  lateInterestMonthlyBasisPoints?: number | null;
  /** default PER_STARTED_DAY */
  lateInterestAccrual?: LateInterestAccrual;
  /** default PT0S */
  lateFeeGrace?: string;
  lateFee?: Money | null;
  /** the customer's share of stamp duty, billed on the first invoice only [000 §8.7] */
  stampDutyPpm?: number | null;
  firstInvoice?: boolean;
  /** default KDV 20 % */
  taxRateBasisPoints?: number;
}

export interface ComposedInvoice {
  lines: InvoiceLine[];
  subtotal: Money;
  taxRateBasisPoints: number;
  tax: Money;
  total: Money;
}

function assertQuantity(quantity: number, what: string): void {
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new RangeError(`${what}: quantity must be a non-negative integer, got ${quantity}`);
}

function percent(basisPoints: number): string {
  return `${basisPoints / 100} %`;
}

export function composeInvoice(input: ComposeInvoiceInput): ComposedInvoice {
  const { currency } = input;
  money(0, currency); // rejects an unsupported currency up front
  const lines: InvoiceLine[] = [];
  const line = (kind: InvoiceLine['kind'], code: string, description: string, quantity: number, unitAmountMicros: number, amount: Money) => {
    assertSameCurrency(amount, currency);
    lines.push({ kind, code, description, quantity, unitAmountMicros, amount: { amountMinor: amount.amountMinor, currency } });
  };
  const unitMicros = (price: Money) => minorToMicros(price.amountMinor, price.currency);

  assertSameCurrency(input.plan.price, currency);
  line('PLAN', input.plan.code, input.plan.name, 1, unitMicros(input.plan.price), input.plan.price);

  for (const addOn of input.addOns ?? []) {
    assertSameCurrency(addOn.unitPrice, currency);
    assertQuantity(addOn.quantity, addOn.code);
    if (addOn.quantity === 0) continue;
    line('ADD_ON', addOn.code, addOn.name, addOn.quantity, unitMicros(addOn.unitPrice), multiplyMoney(addOn.unitPrice, addOn.quantity));
  }

  if (input.discount) {
    const base = sumMoney(
      lines.map((l) => l.amount),
      currency,
    );
    const off = discountOff(base, input.discount.terms);
    if (off.amountMinor !== 0) {
      const minus = money(-off.amountMinor, currency);
      line('DISCOUNT', input.discount.terms.code, input.discount.description, 1, unitMicros(minus), minus);
    }
  }

  const prepaidCredits: { code: string; amount: Money }[] = [];
  for (const meter of input.usage ?? []) {
    if (meter.prepaid) {
      assertQuantity(meter.quantity, meter.meterCode);
      const drawn = meter.prepaidDebitMicros ?? 0;
      if (!Number.isSafeInteger(drawn) || drawn < 0) throw new RangeError(`${meter.meterCode}: prepaidDebitMicros must be a non-negative integer`);
      if (meter.quantity === 0) continue;
      const amount = money(microsToMinor(BigInt(drawn), currency), currency);
      line('USAGE', meter.meterCode, `${meter.name} (${meter.quantity} ${meter.unit}, prepaid)`, meter.quantity, meter.unitPriceMicros, amount);
      prepaidCredits.push({ code: meter.meterCode, amount });
      continue;
    }
    assertQuantity(meter.quantity, meter.meterCode);
    assertQuantity(meter.includedQuantity, meter.meterCode);
    if (!Number.isSafeInteger(meter.unitPriceMicros)) throw new RangeError(`${meter.meterCode}: unitPriceMicros must be an integer`);
    const billable = Math.max(0, meter.quantity - meter.includedQuantity);
    if (billable === 0) continue;
    const amount = money(microsToMinor(BigInt(meter.unitPriceMicros) * BigInt(billable), currency), currency);
    const included = meter.includedQuantity > 0 ? ` above ${meter.includedQuantity} included` : '';
    line('USAGE', meter.meterCode, `${meter.name} (${billable} ${meter.unit}${included})`, billable, meter.unitPriceMicros, amount);
  }

  for (const fee of input.oneOffFees ?? []) {
    assertSameCurrency(fee.price, currency);
    line('ONE_OFF_FEE', fee.code, fee.name, 1, unitMicros(fee.price), fee.price);
  }

  const latePolicy = {
    lateFeeGrace: input.lateFeeGrace ?? 'PT0S',
    lateInterestMonthlyBasisPoints: input.lateInterestMonthlyBasisPoints ?? null,
    lateInterestAccrual: input.lateInterestAccrual ?? 'PER_STARTED_DAY',
  } as const;
  const interestBp = latePolicy.lateInterestMonthlyBasisPoints;
  const lateFee = input.lateFee ?? null;
  if (lateFee) assertSameCurrency(lateFee, currency);
  for (const late of input.overdue ?? []) {
    assertSameCurrency(late.total, currency);
    const charges = lateCharges(latePolicy, { totalMinor: late.total.amountMinor, dueAt: late.dueAt.getTime(), paidAt: late.paidAt.getTime() });
    if (!charges.fee) continue;
    if (interestBp) {
      const interest = money(charges.interestMinor, currency);
      const description = `Late interest on ${late.invoiceNumber}: ${Number(charges.daysLate.toFixed(2))} days at ${percent(interestBp)} a month`;
      if (interest.amountMinor !== 0) line('LATE_INTEREST', late.invoiceNumber, description, 1, unitMicros(interest), interest);
    }
    if (lateFee && lateFee.amountMinor !== 0) {
      line('LATE_FEE', late.invoiceNumber, `Late payment fee for ${late.invoiceNumber}`, 1, unitMicros(lateFee), lateFee);
    }
  }

  const stampDutyPpm = input.stampDutyPpm ?? null;
  if (input.firstInvoice && stampDutyPpm) {
    const base = sumMoney(
      lines.map((l) => l.amount),
      currency,
    );
    const duty = applyPpm(base, stampDutyPpm);
    const description = `Stamp duty, customer's share: ${stampDutyPpm / 10_000} % of ${formatMoney(base, 'en')}`;
    if (duty.amountMinor !== 0) line('STAMP_DUTY', 'STAMP_DUTY', description, 1, unitMicros(duty), duty);
  }

  // KDV law art. 24(c): interest, late fees and duties passed on are part of
  // the KDV base, so every line is in the subtotal.
  const subtotal = sumMoney(
    lines.map((l) => l.amount),
    currency,
  );
  const taxRateBasisPoints = input.taxRateBasisPoints ?? KDV_RATE_BASIS_POINTS;
  const tax = applyBasisPoints(subtotal, taxRateBasisPoints);
  // Prepaid usage was paid from the balance before this invoice: a credit after KDV, so KDV is still charged on it.
  let credited = 0;
  for (const credit of prepaidCredits) {
    if (credit.amount.amountMinor === 0) continue;
    const minus = money(-credit.amount.amountMinor, currency);
    lines.push({ kind: 'PREPAID_APPLIED', code: credit.code, description: `Paid from the prepaid balance (${credit.code})`, quantity: 1, unitAmountMicros: minorToMicros(minus.amountMinor, currency), amount: minus });
    credited += credit.amount.amountMinor;
  }
  const total = money(subtotal.amountMinor + tax.amountMinor - credited, currency);
  return { lines, subtotal, taxRateBasisPoints, tax, total };
}
