import { describe, expect, it } from 'vitest';
import {
  addMoney,
  applyBasisPoints,
  applyPpm,
  CurrencyMismatchError,
  divideRounded,
  formatMoney,
  KDV_RATE_BASIS_POINTS,
  microsToMinor,
  minorToMicros,
  money,
  multiplyMoney,
  sumMoney,
  yearlyPrice,
} from '../../src/money.ts';

const usd = (cents: number) => money(cents, 'USD');
const tl = (kurus: number) => money(kurus, 'TRY');

describe('BIL-2 money values', () => {
  it('holds integer minor units of a supported currency only', () => {
    expect(money(123_456, 'TRY')).toEqual({ amountMinor: 123_456, currency: 'TRY' });
    expect(() => money(12.5, 'TRY')).toThrow(RangeError);
    expect(() => money(Number.MAX_SAFE_INTEGER + 1, 'TRY')).toThrow(RangeError);
    expect(() => money(100, 'EUR')).toThrow(/unsupported currency: EUR/);
  });

  it('adds and sums within one currency and rejects a mismatch', () => {
    expect(addMoney(tl(150), tl(275))).toEqual(tl(425));
    expect(sumMoney([tl(1), tl(2), tl(3)], 'TRY')).toEqual(tl(6));
    expect(sumMoney([], 'USD')).toEqual(usd(0));
    expect(() => addMoney(tl(1), usd(1))).toThrow(CurrencyMismatchError);
    expect(() => sumMoney([tl(1), usd(1)], 'TRY')).toThrow('currency mismatch: expected TRY, got USD');
    expect(() => sumMoney([tl(1)], 'USD')).toThrow(CurrencyMismatchError);
  });

  it('multiplies by integer quantities only', () => {
    expect(multiplyMoney(usd(8_800), 5)).toEqual(usd(44_000));
    expect(() => multiplyMoney(usd(8_800), 1.5)).toThrow(RangeError);
  });
});

describe('BIL-2 rounding: half away from zero to the minor unit', () => {
  it('rounds x.5 minor units up, below x.5 down, and negatives symmetrically', () => {
    expect(divideRounded(25n, 10n)).toBe(3n); // 2.5 → 3 (banker's rounding would give 2)
    expect(divideRounded(35n, 10n)).toBe(4n); // 3.5 → 4
    expect(divideRounded(249n, 100n)).toBe(2n); // 2.49 → 2
    expect(divideRounded(-25n, 10n)).toBe(-3n);
    expect(divideRounded(-24n, 10n)).toBe(-2n);
    expect(divideRounded(0n, 7n)).toBe(0n);
  });

  it('rounds KDV on a subtotal to the kuruş', () => {
    expect(KDV_RATE_BASIS_POINTS).toBe(2000);
    expect(applyBasisPoints(tl(12_345), KDV_RATE_BASIS_POINTS)).toEqual(tl(2_469)); // 24.69 exactly
    expect(applyBasisPoints(tl(2), 2500)).toEqual(tl(1)); // 0.5 kuruş → 1
    expect(applyBasisPoints(tl(1), 4999)).toEqual(tl(0)); // 0.4999 kuruş → 0
    expect(applyBasisPoints(tl(1_001), 50)).toEqual(tl(5)); // 5.005 → 5
    expect(applyBasisPoints(tl(1_010), 50)).toEqual(tl(5)); // 5.05 → 5
    expect(applyBasisPoints(tl(1_100), 50)).toEqual(tl(6)); // 5.5 → 6
    expect(applyBasisPoints(tl(-1_100), 50)).toEqual(tl(-6));
  });

  it('applies parts per million (stamp duty) with the same rule [000 §8.7]', () => {
    expect(applyPpm(usd(7_900), 4_740)).toEqual(usd(37)); // 37.446 cents → 37
    expect(applyPpm(usd(100_000), 4_740)).toEqual(usd(474));
    expect(applyPpm(usd(12_500), 4_740)).toEqual(usd(59)); // 59.25 → 59
    expect(applyPpm(usd(12_553), 4_740)).toEqual(usd(60)); // 59.50122 → 60
    expect(applyPpm(usd(1), 500_000)).toEqual(usd(1)); // exactly 0.5 cent → 1
  });

  it('converts micros to minor units [004 §6.1]: 1234 min × $0.0188 = $23.1992 → $23.20', () => {
    expect(microsToMinor(1_234 * 18_800, 'USD')).toBe(2_320);
    expect(microsToMinor(23_195_000n, 'USD')).toBe(2_320); // exactly 2319.5 cents → 2320
    expect(microsToMinor(23_194_999n, 'USD')).toBe(2_319);
    expect(microsToMinor(18_800, 'USD')).toBe(2); // one minute: 1.88 cents → 2
    expect(microsToMinor(4_999, 'TRY')).toBe(0);
    expect(microsToMinor(5_000, 'TRY')).toBe(1);
    expect(() => microsToMinor(1.5, 'USD')).toThrow(RangeError);
    expect(minorToMicros(10_000, 'USD')).toBe(100_000_000);
  });
});

describe('BIL-1 yearly prices', () => {
  it('is twelve months less the discount [003 §6.2]', () => {
    expect(yearlyPrice(tl(150_000), 2000)).toEqual(tl(1_440_000)); // ₺1.500/month → ₺14.400/year
    expect(yearlyPrice(usd(10_000), 0)).toEqual(usd(120_000));
    expect(yearlyPrice(tl(99_99), 2000)).toEqual(tl(95_990)); // 119 988 − 23 997.6 → 119 988 − 23 998
  });
});

describe('formatMoney', () => {
  it('writes Turkish amounts with the symbol after and English ones before', () => {
    expect(formatMoney(tl(123_456), 'tr')).toBe('1.234,56 ₺');
    expect(formatMoney(usd(123_456), 'tr')).toBe('1.234,56 $');
    expect(formatMoney(usd(123_456), 'en')).toBe('$1,234.56');
    expect(formatMoney(tl(123_456), 'en')).toBe('₺1,234.56');
    expect(formatMoney(usd(5), 'en')).toBe('$0.05');
    expect(formatMoney(tl(0), 'tr')).toBe('0,00 ₺');
    expect(formatMoney(tl(-150), 'tr')).toBe('-1,50 ₺');
  });

  it('formats amounts beyond float precision exactly', () => {
    expect(formatMoney(usd(9_007_199_254_740_991), 'en')).toBe('$90,071,992,547,409.91');
  });
});
