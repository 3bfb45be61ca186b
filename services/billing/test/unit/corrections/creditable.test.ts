// Issue 15: the pure rules of corrections. A credit note never credits more
// than remains of the invoice (per line, net, and KDV to the last cent), and
// refunds never exceed the payment.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditableRemainder, planCredit, planRefund, type CreditEntry, type CreditableInvoice } from '../../../src/corrections/creditable.ts';
import { applyBasisPoints, money } from '../../../src/money.ts';

const line = (kind: string, amountMinor: number) => ({ kind, amount: { amountMinor } });

/** An invoice as composeInvoice makes it: every line in the KDV base but the prepaid credit, KDV once on the subtotal. */
function invoiceOf(lines: { kind: string; amount: { amountMinor: number } }[], rate = 2_000): CreditableInvoice {
  const subtotal = lines.filter((l) => l.kind !== 'PREPAID_APPLIED').reduce((sum, l) => sum + l.amount.amountMinor, 0);
  return { currency: 'TRY', lines, subtotal: { amountMinor: subtotal }, tax: applyBasisPoints(money(subtotal, 'TRY'), rate), taxRateBasisPoints: rate };
}

const INVOICE = invoiceOf([line('PLAN', 1_000_00), line('ADD_ON', 333_33), line('USAGE', 10_01), line('PREPAID_APPLIED', -12_01)]);

const credited = (plan: ReturnType<typeof planCredit>): CreditEntry => {
  if (!plan.ok) throw new Error(`not planned: ${plan.code}`);
  return { lines: plan.lines, taxMinor: plan.taxMinor };
};

describe('creditable remainder (issue 15)', () => {
  it('everything is creditable at first, except the prepaid credit applied after KDV', () => {
    const remainder = creditableRemainder(INVOICE, []);
    expect(remainder.lines).toEqual([
      { index: 0, remainingMinor: 1_000_00 },
      { index: 1, remainingMinor: 333_33 },
      { index: 2, remainingMinor: 10_01 },
    ]);
    expect(remainder.subtotalMinor).toBe(1_343_34);
    expect(remainder.taxMinor).toBe(268_67);
    expect(remainder.totalMinor).toBe(1_612_01);
  });

  it('a partial credit of one line: KDV at the invoice rate, and the line keeps the rest', () => {
    const plan = planCredit(INVOICE, [], { lines: [{ index: 0, amountMinor: 250_00 }] });
    expect(plan).toEqual({ ok: true, lines: [{ index: 0, amountMinor: 250_00 }], subtotalMinor: 250_00, taxMinor: 50_00, totalMinor: 300_00 });
    expect(creditableRemainder(INVOICE, [credited(plan)]).lines[0]).toEqual({ index: 0, remainingMinor: 750_00 });
  });

  it('a selected line without an amount is credited in full; an amount is spread over the lines in order', () => {
    expect(planCredit(INVOICE, [], { lines: [{ index: 1 }] })).toMatchObject({ ok: true, lines: [{ index: 1, amountMinor: 333_33 }] });
    expect(planCredit(INVOICE, [], { amountMinor: 1_100_00 })).toMatchObject({ ok: true, lines: [{ index: 0, amountMinor: 1_000_00 }, { index: 1, amountMinor: 100_00 }] });
  });

  it('no lines and no amount: all that is left, taking exactly the KDV left', () => {
    const first = credited(planCredit(INVOICE, [], { lines: [{ index: 2, amountMinor: 1 }] }));
    const rest = planCredit(INVOICE, [first], {});
    expect(rest).toMatchObject({ ok: true, subtotalMinor: 1_343_33 });
    expect(first.taxMinor + (rest.ok ? rest.taxMinor : 0)).toBe(INVOICE.tax.amountMinor);
    expect(planCredit(INVOICE, [first, credited(rest)], {})).toEqual({ ok: false, code: 'NOTHING_TO_CREDIT', field: ['invoiceId'] });
  });

  it('refuses more than remains, unknown, repeated and non-positive lines, the prepaid credit line', () => {
    expect(planCredit(INVOICE, [], { lines: [{ index: 0, amountMinor: 1_000_01 }] })).toMatchObject({ ok: false, code: 'CREDIT_EXCEEDS_REMAINDER' });
    expect(planCredit(INVOICE, [], { amountMinor: 1_343_35 })).toMatchObject({ ok: false, code: 'CREDIT_EXCEEDS_REMAINDER', field: ['amountMinor'] });
    expect(planCredit(INVOICE, [], { lines: [{ index: 3 }] })).toMatchObject({ ok: false, code: 'UNKNOWN_LINE', field: ['lines', '0', 'index'] });
    expect(planCredit(INVOICE, [], { lines: [{ index: 9 }] })).toMatchObject({ ok: false, code: 'UNKNOWN_LINE' });
    expect(planCredit(INVOICE, [], { lines: [{ index: 0, amountMinor: 1 }, { index: 0, amountMinor: 1 }] })).toMatchObject({ ok: false, code: 'DUPLICATE_LINE' });
    expect(planCredit(INVOICE, [], { lines: [{ index: 0, amountMinor: 0 }] })).toMatchObject({ ok: false, code: 'INVALID_AMOUNT' });
    expect(planCredit(INVOICE, [], { amountMinor: 1.5 })).toMatchObject({ ok: false, code: 'INVALID_AMOUNT' });
    const full = credited(planCredit(INVOICE, [], { lines: [{ index: 0 }] }));
    expect(planCredit(INVOICE, [full], { lines: [{ index: 0, amountMinor: 1 }] })).toMatchObject({ ok: false, code: 'CREDIT_EXCEEDS_REMAINDER' });
  });

  it('a discount line in the KDV base caps the credit at the subtotal', () => {
    const discounted = invoiceOf([line('PLAN', 1_000_00), line('DISCOUNT', -200_00)]);
    expect(planCredit(discounted, [], {})).toEqual({ ok: true, lines: [{ index: 0, amountMinor: 800_00 }], subtotalMinor: 800_00, taxMinor: 160_00, totalMinor: 960_00 });
    expect(planCredit(discounted, [], { lines: [{ index: 0 }] })).toMatchObject({ ok: false, code: 'CREDIT_EXCEEDS_REMAINDER' });
  });

  it('property: any sequence of credit requests never credits more than the invoice, per line, net or KDV', () => {
    const amounts = fc.array(fc.integer({ min: 1, max: 500_000_00 }), { minLength: 1, maxLength: 6 });
    const request = fc.oneof(
      fc.record({ amountMinor: fc.integer({ min: -5, max: 2_000_000_00 }) }),
      fc.record({ lines: fc.array(fc.record({ index: fc.integer({ min: -1, max: 7 }), amountMinor: fc.option(fc.integer({ min: 0, max: 600_000_00 }), { nil: undefined }) }), { maxLength: 4 }) }),
      fc.constant({}),
    );
    fc.assert(
      fc.property(amounts, fc.constantFrom(0, 100, 1_000, 2_000), fc.array(request, { maxLength: 12 }), (lineAmounts, rate, requests) => {
        const invoice = invoiceOf(lineAmounts.map((amount) => line('PLAN', amount)), rate);
        const credits: CreditEntry[] = [];
        for (const r of requests) {
          const plan = planCredit(invoice, credits, r);
          if (!plan.ok) continue;
          expect(plan.subtotalMinor).toBeGreaterThan(0);
          expect(plan.totalMinor).toBe(plan.subtotalMinor + plan.taxMinor);
          credits.push({ lines: plan.lines, taxMinor: plan.taxMinor });
        }
        const net = credits.flatMap((c) => c.lines).reduce((sum, l) => sum + l.amountMinor, 0);
        const tax = credits.reduce((sum, c) => sum + c.taxMinor, 0);
        expect(net).toBeLessThanOrEqual(invoice.subtotal.amountMinor);
        expect(tax).toBeLessThanOrEqual(invoice.tax.amountMinor);
        for (const [index, billed] of invoice.lines.entries()) {
          const onLine = credits.flatMap((c) => c.lines).filter((l) => l.index === index).reduce((sum, l) => sum + l.amountMinor, 0);
          expect(onLine).toBeLessThanOrEqual(billed.amount.amountMinor);
        }
        // crediting what is left leaves nothing, to the cent, KDV included
        const rest = planCredit(invoice, credits, {});
        if (rest.ok) credits.push({ lines: rest.lines, taxMinor: rest.taxMinor });
        expect(creditableRemainder(invoice, credits).totalMinor).toBe(0);
      }),
    );
  });
});

describe('refundable remainder (issue 15)', () => {
  it('defaults to what is left; never more than the payment', () => {
    expect(planRefund(1_200_00, [], null)).toEqual({ ok: true, amountMinor: 1_200_00 });
    expect(planRefund(1_200_00, [200_00], 1_000_00)).toEqual({ ok: true, amountMinor: 1_000_00 });
    expect(planRefund(1_200_00, [200_00], 1_000_01)).toMatchObject({ ok: false, code: 'REFUND_EXCEEDS_PAYMENT' });
    expect(planRefund(1_200_00, [1_200_00], null)).toMatchObject({ ok: false, code: 'NOTHING_TO_REFUND' });
    expect(planRefund(1_200_00, [], 0)).toMatchObject({ ok: false, code: 'INVALID_AMOUNT' });
  });

  it('property: accepted refunds add up to at most the payment', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.array(fc.option(fc.integer({ min: -3, max: 12_000_000 }), { nil: null }), { maxLength: 10 }), (paid, asks) => {
        const taken: number[] = [];
        for (const ask of asks) {
          const plan = planRefund(paid, taken, ask);
          if (plan.ok) taken.push(plan.amountMinor);
        }
        expect(taken.reduce((sum, amount) => sum + amount, 0)).toBeLessThanOrEqual(paid);
      }),
    );
  });
});
