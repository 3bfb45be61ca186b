import { describe, expect, it } from 'vitest';
import { composeInvoice, type ComposeInvoiceInput } from '../../src/invoice-lines.ts';
import { lateInterestMinor } from '../../src/lifecycle/index.ts';
import { CurrencyMismatchError, money, type Money } from '../../src/money.ts';

const usd = (cents: number) => money(cents, 'USD');
const tl = (kurus: number) => money(kurus, 'TRY');
const at = (iso: string) => new Date(`${iso}+03:00`);

const enterprisePlan = { code: 'ENTERPRISE-CALLCENTER', name: 'Maintenance', price: usd(10_000) };
const kinds = (input: ComposeInvoiceInput) => composeInvoice(input).lines.map((l) => l.kind);

describe('BIL-8 invoice composition', () => {
  it('bills the enterprise price list exactly [004 §6.1]: $100 + 5 × $88 + 1234 min × $0.0188', () => {
    const invoice = composeInvoice({
      currency: 'USD',
      plan: enterprisePlan,
      addOns: [{ code: 'USER', name: 'Cloud call-centre user', unitPrice: usd(8_800), quantity: 5 }],
      usage: [{ meterCode: 'MINUTES', name: 'Call minutes', unit: 'min', quantity: 1_234, includedQuantity: 0, unitPriceMicros: 18_800, prepaid: false }],
    });
    expect(invoice.lines).toEqual([
      { kind: 'PLAN', code: 'ENTERPRISE-CALLCENTER', description: 'Maintenance', quantity: 1, unitAmountMicros: 100_000_000, amount: usd(10_000) },
      { kind: 'ADD_ON', code: 'USER', description: 'Cloud call-centre user', quantity: 5, unitAmountMicros: 88_000_000, amount: usd(44_000) },
      { kind: 'USAGE', code: 'MINUTES', description: 'Call minutes (1234 min)', quantity: 1_234, unitAmountMicros: 18_800, amount: usd(2_320) },
    ]);
    // $100 + $440 + ($23.1992 → $23.20) = $563.20; KDV 20 % = $112.64; total $675.84
    expect(invoice.subtotal).toEqual(usd(56_320));
    expect(invoice.taxRateBasisPoints).toBe(2000);
    expect(invoice.tax).toEqual(usd(11_264));
    expect(invoice.total).toEqual(usd(67_584));
  });

  it('BIL-2 computes KDV once on the subtotal, not per line', () => {
    // Per line 20 % of 3 kuruş = 0.6 → 1, twice = 2; once on the 6-kuruş subtotal: 1.2 → 1.
    const invoice = composeInvoice({
      currency: 'TRY',
      plan: { code: 'P', name: 'Plan', price: tl(3) },
      oneOffFees: [{ code: 'F', name: 'Fee', price: tl(3) }],
    });
    expect(invoice.subtotal).toEqual(tl(6));
    expect(invoice.tax).toEqual(tl(1));
    expect(invoice.total).toEqual(tl(7));
  });

  it('BIL-2 rounds KDV to the kuruş: .4 down, .6 up', () => {
    const taxOn = (kurus: number) => composeInvoice({ currency: 'TRY', plan: { code: 'P', name: 'P', price: tl(kurus) } }).tax.amountMinor;
    expect(taxOn(12_347)).toBe(2_469); // 2469.4
    expect(taxOn(12_348)).toBe(2_470); // 2469.6
    expect(taxOn(150_000)).toBe(30_000);
  });

  it('bills add-ons by quantity, leaves out zero quantities and rejects fractional ones', () => {
    const invoice = composeInvoice({
      currency: 'TRY',
      plan: { code: 'PRO-HUB-MONTHLY', name: 'PRO HUB', price: tl(350_000) },
      addOns: [
        { code: 'EXTRA-USER', name: 'Extra user', unitPrice: tl(25_000), quantity: 3 },
        { code: 'EXTENSION', name: 'Extension number', unitPrice: tl(7_500), quantity: 0 },
      ],
    });
    expect(invoice.lines.map((l) => [l.kind, l.code, l.quantity, l.amount.amountMinor])).toEqual([
      ['PLAN', 'PRO-HUB-MONTHLY', 1, 350_000],
      ['ADD_ON', 'EXTRA-USER', 3, 75_000],
    ]);
    expect(invoice.subtotal).toEqual(tl(425_000));
    expect(() =>
      composeInvoice({ currency: 'TRY', plan: { code: 'P', name: 'P', price: tl(1) }, addOns: [{ code: 'A', name: 'A', unitPrice: tl(1), quantity: 1.5 }] }),
    ).toThrow(RangeError);
  });

  it('BIL-9 [004 §6.2] prepaid usage is on the invoice with KDV, and what the balance paid is credited after tax', () => {
    const invoice = composeInvoice({
      currency: 'USD',
      plan: enterprisePlan,
      usage: [{ meterCode: 'MINUTES', name: 'Call minutes', unit: 'min', quantity: 1_000, includedQuantity: 0, unitPriceMicros: 18_800, prepaid: true, prepaidDebitMicros: 18_800_000 }],
    });
    expect(invoice.lines.map((l) => [l.kind, l.amount.amountMinor])).toEqual([
      ['PLAN', 10_000],
      ['USAGE', 1_880],
      ['PREPAID_APPLIED', -1_880],
    ]);
    expect(invoice.subtotal).toEqual(usd(11_880));
    expect(invoice.tax).toEqual(usd(2_376)); // KDV on the usage too
    expect(invoice.total).toEqual(usd(11_880 + 2_376 - 1_880));
  });

  it('BIL-9 bills only usage above the included quantity; a prepaid meter is paid from the balance', () => {
    const meter = { meterCode: 'ORDERS', name: 'Orders above quota', unit: 'order', includedQuantity: 500, unitPriceMicros: 50_000, prepaid: false };
    const invoice = composeInvoice({
      currency: 'USD',
      plan: { code: 'ECOMMERCE-SELF-SERVICE', name: 'Self Service', price: usd(7_900) },
      usage: [
        { ...meter, quantity: 537 },
        { ...meter, meterCode: 'UNDER', quantity: 500 },
        { meterCode: 'MINUTES', name: 'Call minutes', unit: 'min', quantity: 10_000, includedQuantity: 0, unitPriceMicros: 18_800, prepaid: true, prepaidDebitMicros: 188_000_000 },
      ],
    });
    expect(invoice.lines.map((l) => l.kind)).toEqual(['PLAN', 'USAGE', 'USAGE', 'PREPAID_APPLIED']);
    expect(invoice.lines[1]).toEqual({
      kind: 'USAGE',
      code: 'ORDERS',
      description: 'Orders above quota (37 order above 500 included)',
      quantity: 37,
      unitAmountMicros: 50_000,
      amount: usd(185), // 37 × $0.05
    });
  });

  it('bills one-off fees as their own lines [000 §5.7]', () => {
    const invoice = composeInvoice({
      currency: 'USD',
      plan: { code: 'ECOMMERCE-SELF-SERVICE', name: 'Self Service', price: usd(7_900) },
      oneOffFees: [{ code: 'INSTALLATION', name: 'Installation and consultancy', price: usd(25_000) }],
    });
    expect(invoice.lines[1]).toEqual({
      kind: 'ONE_OFF_FEE',
      code: 'INSTALLATION',
      description: 'Installation and consultancy',
      quantity: 1,
      unitAmountMicros: 250_000_000,
      amount: usd(25_000),
    });
    expect(invoice.subtotal).toEqual(usd(32_900));
  });
});

describe('BIL-8 late interest and late fees', () => {
  const DAY = 86_400_000;
  const perDay = (total: Money, days: number) => usd(lateInterestMinor(total.amountMinor, 50, 'PER_STARTED_DAY', days * DAY));

  it('charges 0.5 % a month per started day [004 §6.3], rounded once', () => {
    expect(perDay(usd(100_000), 30)).toEqual(usd(500)); // a month on $1000 = $5
    expect(perDay(usd(100_000), 42)).toEqual(usd(700));
    expect(perDay(usd(67_584), 13)).toEqual(usd(146)); // 146.432 cents
    expect(perDay(usd(60_000), 1)).toEqual(usd(10));
    expect(perDay(usd(3_000), 1)).toEqual(usd(1)); // exactly 0.5 cent → 1
    expect(perDay(usd(60_000), 0.001)).toEqual(usd(10)); // a started day counts in full
  });

  it('adds one interest line and one fee line per invoice paid late', () => {
    const invoice = composeInvoice({
      currency: 'USD',
      plan: enterprisePlan,
      overdue: [
        { invoiceNumber: 'OMR2026000000001', total: usd(100_000), dueAt: at('2026-01-10T00:00:00'), paidAt: at('2026-02-21T12:00:00') },
        { invoiceNumber: 'OMR2026000000002', total: usd(67_584), dueAt: at('2026-03-01T00:00:00'), paidAt: at('2026-03-14T08:00:00') },
        // 18 hours late is late (issue 12: whole days no longer hide it)
        { invoiceNumber: 'OMR2026000000003', total: usd(50_000), dueAt: at('2026-04-01T00:00:00'), paidAt: at('2026-04-01T18:00:00') },
        // paid at the due time: not late, nothing billed
        { invoiceNumber: 'OMR2026000000004', total: usd(50_000), dueAt: at('2026-05-01T00:00:00'), paidAt: at('2026-05-01T00:00:00') },
      ],
      lateInterestMonthlyBasisPoints: 50,
      lateFee: usd(500),
    });
    expect(invoice.lines.slice(1)).toEqual([
      {
        kind: 'LATE_INTEREST',
        code: 'OMR2026000000001',
        description: 'Late interest on OMR2026000000001: 43 days at 0.5 % a month',
        quantity: 1,
        unitAmountMicros: 7_170_000,
        amount: usd(717),
      },
      { kind: 'LATE_FEE', code: 'OMR2026000000001', description: 'Late payment fee for OMR2026000000001', quantity: 1, unitAmountMicros: 5_000_000, amount: usd(500) },
      {
        kind: 'LATE_INTEREST',
        code: 'OMR2026000000002',
        description: 'Late interest on OMR2026000000002: 14 days at 0.5 % a month',
        quantity: 1,
        unitAmountMicros: 1_580_000,
        amount: usd(158),
      },
      { kind: 'LATE_FEE', code: 'OMR2026000000002', description: 'Late payment fee for OMR2026000000002', quantity: 1, unitAmountMicros: 5_000_000, amount: usd(500) },
      {
        kind: 'LATE_INTEREST',
        code: 'OMR2026000000003',
        description: 'Late interest on OMR2026000000003: 1 days at 0.5 % a month',
        quantity: 1,
        unitAmountMicros: 80_000,
        amount: usd(8),
      },
      { kind: 'LATE_FEE', code: 'OMR2026000000003', description: 'Late payment fee for OMR2026000000003', quantity: 1, unitAmountMicros: 5_000_000, amount: usd(500) },
    ]);
    // late charges are part of the KDV base (KDV law art. 24/c)
    expect(invoice.subtotal).toEqual(usd(10_000 + 717 + 500 + 158 + 500 + 8 + 500));
    expect(invoice.tax).toEqual(usd(2_477)); // 2476.6
  });

  it('a grace keeps short lateness free, and pro rata counts the exact time [001 §5.3.1, 004 §6.3]', () => {
    const overdue = [{ invoiceNumber: 'G', total: usd(100_000), dueAt: at('2026-01-10T00:00:00'), paidAt: at('2026-01-10T12:00:00') }];
    expect(composeInvoice({ currency: 'USD', plan: enterprisePlan, overdue, lateFee: usd(500), lateFeeGrace: 'PT12H' }).lines.map((l) => l.kind)).toEqual(['PLAN']);
    const proRata = composeInvoice({ currency: 'USD', plan: enterprisePlan, overdue, lateInterestMonthlyBasisPoints: 50, lateInterestAccrual: 'PRO_RATA' });
    expect(proRata.lines[1]).toMatchObject({ kind: 'LATE_INTEREST', description: 'Late interest on G: 0.5 days at 0.5 % a month', amount: usd(8) }); // 8.33
  });

  it('bills only the fixed fee when the policy has no interest [001 §5.3.1]', () => {
    const lines = kinds({
      currency: 'TRY',
      plan: { code: 'SOFTWARE-LICENSE', name: 'Support', price: tl(120_000) },
      overdue: [{ invoiceNumber: 'OMR2026000000009', total: tl(144_000), dueAt: at('2026-01-10T00:00:00'), paidAt: at('2026-01-20T00:00:00') }],
      lateInterestMonthlyBasisPoints: null,
      lateFee: tl(15_000),
    });
    expect(lines).toEqual(['PLAN', 'LATE_FEE']);
  });
});

describe('BIL-8 stamp duty on the first invoice [000 §8.7]', () => {
  const input: ComposeInvoiceInput = {
    currency: 'USD',
    plan: { code: 'ECOMMERCE-SELF-SERVICE', name: 'Self Service', price: usd(7_900) },
    oneOffFees: [{ code: 'INSTALLATION', name: 'Installation and consultancy', price: usd(25_000) }],
    stampDutyPpm: 4_740,
    firstInvoice: true,
  };

  it("adds the customer's share of the other lines' subtotal, before KDV", () => {
    const invoice = composeInvoice(input);
    expect(invoice.lines[2]).toEqual({
      kind: 'STAMP_DUTY',
      code: 'STAMP_DUTY',
      description: "Stamp duty, customer's share: 0.474 % of $329.00",
      quantity: 1,
      unitAmountMicros: 1_560_000,
      amount: usd(156), // 0.474 % of $329 = 155.946 cents
    });
    expect(invoice.subtotal).toEqual(usd(33_056));
    expect(invoice.tax).toEqual(usd(6_611)); // 6611.2
    expect(invoice.total).toEqual(usd(39_667));
  });

  it('does not bill it on later invoices', () => {
    expect(kinds({ ...input, firstInvoice: false })).toEqual(['PLAN', 'ONE_OFF_FEE']);
    expect(kinds({ ...input, stampDutyPpm: null })).toEqual(['PLAN', 'ONE_OFF_FEE']);
  });
});

describe('BIL-2 one currency per invoice', () => {
  const base: ComposeInvoiceInput = { currency: 'USD', plan: enterprisePlan };

  it.each<[string, Partial<ComposeInvoiceInput>]>([
    ['plan', { plan: { ...enterprisePlan, price: tl(10_000) } }],
    ['add-on', { addOns: [{ code: 'USER', name: 'User', unitPrice: tl(8_800), quantity: 1 }] }],
    ['one-off fee', { oneOffFees: [{ code: 'INSTALLATION', name: 'Installation', price: tl(1) }] }],
    ['overdue invoice', { overdue: [{ invoiceNumber: 'X', total: tl(1), dueAt: at('2026-01-01T00:00:00'), paidAt: at('2026-01-05T00:00:00') }], lateInterestMonthlyBasisPoints: 50 }],
    ['late fee', { lateFee: tl(15_000) }],
  ])('rejects a %s in another currency', (_what, change) => {
    expect(() => composeInvoice({ ...base, ...change })).toThrow(CurrencyMismatchError);
  });

  it('rejects an unsupported invoice currency', () => {
    expect(() => composeInvoice({ currency: 'EUR', plan: { code: 'P', name: 'P', price: { amountMinor: 1, currency: 'EUR' } } })).toThrow(
      /unsupported currency/,
    );
  });
});
