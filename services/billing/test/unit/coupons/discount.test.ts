import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discountOff, discountStillApplies, redemptionProblem, type CouponTerms } from '../../../src/coupons/discount.ts';
import { composeInvoice } from '../../../src/invoice-lines.ts';
import { buildUblTrInvoice } from '../../../src/invoices/ubl-tr.ts';
import { applyBasisPoints, money } from '../../../src/money.ts';
import { validateUblInvoice } from '../../support/ubl-schema.ts';

const tl = (kurus: number) => money(kurus, 'TRY');
const percent = (basisPoints: number): Pick<CouponTerms, 'percentOffBasisPoints' | 'amountsOff'> => ({ percentOffBasisPoints: basisPoints, amountsOff: [] });
const amountOff = (...amounts: { amountMinor: number; currency: string }[]) => ({ percentOffBasisPoints: null, amountsOff: amounts });

const terms = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }).map(percent),
  fc.record({ amountMinor: fc.integer({ min: 0, max: 1e12 }), currency: fc.constantFrom('TRY', 'USD') }).map((a) => amountOff(a)),
);

describe('coupon discount rule (issue 15)', () => {
  it('never negative, never more than the discounted lines, whole kuruş rounded half away from zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e12 }), terms, (baseMinor, coupon) => {
        const base = tl(baseMinor);
        const off = discountOff(base, coupon);
        expect(Number.isSafeInteger(off.amountMinor)).toBe(true);
        expect(off.currency).toBe('TRY');
        expect(off.amountMinor).toBeGreaterThanOrEqual(0);
        expect(off.amountMinor).toBeLessThanOrEqual(Math.max(baseMinor, 0));
        if (coupon.percentOffBasisPoints !== null && baseMinor > 0) {
          // the one rounding of money.ts: |exact − off| ≤ ½ kuruş
          expect(Math.abs(baseMinor * coupon.percentOffBasisPoints - off.amountMinor * 10_000)).toBeLessThanOrEqual(5_000);
          expect(off).toEqual(applyBasisPoints(base, coupon.percentOffBasisPoints));
        }
      }),
    );
  });

  it('an invoice with any coupon never totals below zero, and KDV is on the discounted subtotal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1e8 }), terms, (planMinor, seats, seatMinor, coupon) => {
        const invoice = composeInvoice({
          currency: 'TRY',
          plan: { code: 'P', name: 'Plan', price: tl(planMinor) },
          addOns: [{ code: 'SEAT', name: 'Seat', unitPrice: tl(seatMinor), quantity: seats }],
          discount: { terms: { code: 'C', ...coupon }, description: 'Coupon C' },
        });
        expect(invoice.total.amountMinor).toBeGreaterThanOrEqual(0);
        expect(invoice.subtotal.amountMinor).toBeGreaterThanOrEqual(0);
        expect(invoice.tax).toEqual(applyBasisPoints(invoice.subtotal, 2000));
        const discount = invoice.lines.filter((l) => l.kind === 'DISCOUNT');
        expect(discount.length).toBeLessThanOrEqual(1);
        expect(invoice.subtotal.amountMinor).toBe(planMinor + seats * seatMinor + (discount[0]?.amount.amountMinor ?? 0));
      }),
    );
  });

  it('20 % off ₺999,99: the line is −₺200,00 (199,998 rounded), KDV on ₺799,99', () => {
    const invoice = composeInvoice({ currency: 'TRY', plan: { code: 'P', name: 'Plan', price: tl(99_999) }, discount: { terms: { code: 'SPRING20', ...percent(2000) }, description: 'Coupon SPRING20: 20 % off (1 of 3)' } });
    expect(invoice.lines.map((l) => [l.kind, l.amount.amountMinor])).toEqual([
      ['PLAN', 99_999],
      ['DISCOUNT', -20_000],
    ]);
    expect(invoice.lines[1]!.unitAmountMicros).toBe(-200_000_000);
    expect(invoice.subtotal).toEqual(tl(79_999));
    expect(invoice.tax).toEqual(tl(16_000));
    expect(invoice.total).toEqual(tl(95_999));
  });

  it('an amount off in another currency takes nothing; an amount larger than the plan takes the plan', () => {
    expect(discountOff(tl(10_000), amountOff({ amountMinor: 500, currency: 'USD' }))).toEqual(tl(0));
    expect(discountOff(tl(10_000), amountOff({ amountMinor: 50_000, currency: 'TRY' }))).toEqual(tl(10_000));
    const free = composeInvoice({ currency: 'TRY', plan: { code: 'P', name: 'Plan', price: tl(10_000) }, discount: { terms: { code: 'FREE', ...percent(10_000) }, description: 'x' } });
    expect(free.total).toEqual(tl(0));
  });

  it('ONCE discounts one invoice, REPEATING N, FOREVER all', () => {
    expect([0, 1].map((n) => discountStillApplies({ duration: 'ONCE', durationPeriods: null }, n))).toEqual([true, false]);
    expect([0, 2, 3].map((n) => discountStillApplies({ duration: 'REPEATING', durationPeriods: 3 }, n))).toEqual([true, true, false]);
    expect(discountStillApplies({ duration: 'FOREVER', durationPeriods: null }, 10_000)).toBe(true);
  });

  it('redemption: inactive, expired, exhausted, other plan, no amount in the currency', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    const coupon = { active: true, expiresAt: null, planCodes: null, remaining: null, ...percent(2000) };
    const at = { planCode: 'PRO', currency: 'TRY', now };
    expect(redemptionProblem(coupon, at)).toBeNull();
    expect(redemptionProblem({ ...coupon, active: false }, at)).toBe('INACTIVE');
    expect(redemptionProblem({ ...coupon, expiresAt: now }, at)).toBe('EXPIRED');
    expect(redemptionProblem({ ...coupon, remaining: 0 }, at)).toBe('EXHAUSTED');
    expect(redemptionProblem({ ...coupon, planCodes: ['STARTER'] }, at)).toBe('NOT_FOR_PLAN');
    expect(redemptionProblem({ ...coupon, planCodes: ['STARTER', 'PRO'] }, at)).toBeNull();
    expect(redemptionProblem({ ...coupon, ...amountOff({ amountMinor: 100, currency: 'USD' }) }, at)).toBe('NOT_IN_CURRENCY');
  });

  it('UBL-TR: the discount is a document allowance (ChargeIndicator false) and the XML validates', async () => {
    const composed = composeInvoice({ currency: 'TRY', plan: { code: 'P', name: 'Plan', price: tl(100_000) }, discount: { terms: { code: 'SPRING20', ...percent(2000) }, description: 'Coupon SPRING20: 20 % off (1 of 3)' } });
    const xml = buildUblTrInvoice(
      {
        organizationId: '65f000000000000000000001',
        number: 'OMR2026000000077',
        ettn: '1b8e2a5c-9d7e-4f39-8a61-3f2d1c0b9a87',
        currency: 'TRY',
        customer: { name: 'Ayşe Yılmaz', customerCode: null, buyer: null },
        ...composed,
        issuedAt: new Date('2026-11-02T09:00:00Z'),
        dueAt: new Date('2026-11-12T09:00:00Z'),
        exchangeRate: null,
      },
      { seller: { name: 'Omurga Yazılım A.Ş.', taxId: '1234567890', taxOffice: 'Zincirlikuyu', address: 'Büyükdere Cad. No:1', district: 'Şişli', city: 'İstanbul' }, companyProfile: 'TEMELFATURA' },
    );
    const result = await validateUblInvoice(xml);
    expect(result.errors).toEqual([]);
    expect(xml).toMatch(/<cbc:ChargeIndicator>false<\/cbc:ChargeIndicator>\s*<cbc:AllowanceChargeReason>İskonto \/ Coupon SPRING20/);
    expect(xml).toContain('<cbc:AllowanceTotalAmount currencyID="TRY">200.00</cbc:AllowanceTotalAmount>');
    expect(xml).toContain('<cbc:LineExtensionAmount currencyID="TRY">1000.00</cbc:LineExtensionAmount>');
    expect(xml).toContain('<cbc:TaxExclusiveAmount currencyID="TRY">800.00</cbc:TaxExclusiveAmount>');
    expect(xml).toContain('<cbc:PayableAmount currencyID="TRY">960.00</cbc:PayableAmount>');
    expect(xml).toContain('<cbc:LineCountNumeric>1</cbc:LineCountNumeric>');
  });
});
