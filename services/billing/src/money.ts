import type { Money } from './workflows/contracts.ts';

/**
 * Money arithmetic (BIL-2): integer minor units plus an ISO-4217 code, never
 * floats. Products and quotients are computed with BigInt and rounded once,
 * by the single rule below.
 *
 * ROUNDING RULE: round half away from zero to the minor unit (kuruş, cent).
 * 0.5 kuruş and more becomes a whole kuruş; less is dropped; negatives mirror
 * positives (−0.5 → −1). This is the commercial rounding Turkish invoices use
 * (e-Fatura / e-Arşiv amounts and KDV to two decimals, "yarım kuruş ve üzeri
 * bir kuruşa tamamlanır"), so the KDV we print is the KDV the customer's
 * accountant gets by hand; banker's rounding (half to even) would disagree on
 * every x.5 and is deliberately not used.
 */

export type { Money };

export const SUPPORTED_CURRENCIES = ['TRY', 'USD'] as const;
export type Currency = (typeof SUPPORTED_CURRENCIES)[number];

/** Digits of the minor unit per currency (kuruş, cent). */
export const MINOR_DIGITS: Readonly<Record<Currency, number>> = { TRY: 2, USD: 2 };

/** KDV (Turkish VAT) on the invoices' subtotal: 20 % [BIL-2]. */
export const KDV_RATE_BASIS_POINTS = 2000;

const BASIS_POINTS = 10_000n;
const PPM = 1_000_000n;
const MICROS_PER_MAJOR = 1_000_000n;

export class CurrencyMismatchError extends Error {
  override name = 'CurrencyMismatchError';
  constructor(expected: string, actual: string) {
    super(`currency mismatch: expected ${expected}, got ${actual}`);
  }
}

export function isSupportedCurrency(currency: string): currency is Currency {
  return (SUPPORTED_CURRENCIES as readonly string[]).includes(currency);
}

function assertCurrency(currency: string): asserts currency is Currency {
  if (!isSupportedCurrency(currency)) throw new RangeError(`unsupported currency: ${currency}`);
}

function assertInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${what} out of range: ${value}`);
  }
  return Number(value);
}

/** numerator / denominator (denominator > 0), rounded half away from zero. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const magnitude = numerator < 0n ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if ((magnitude % denominator) * 2n >= denominator) quotient += 1n;
  return numerator < 0n ? -quotient : quotient;
}

export function money(amountMinor: number, currency: string): Money {
  assertInteger(amountMinor, 'amountMinor');
  assertCurrency(currency);
  // -0 would print as "-0,00"
  return { amountMinor: amountMinor === 0 ? 0 : amountMinor, currency };
}

/** Throws CurrencyMismatchError unless `m` is in `currency`. */
export function assertSameCurrency(m: Money, currency: string): void {
  if (m.currency !== currency) throw new CurrencyMismatchError(currency, m.currency);
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(b, a.currency);
  return money(toSafeNumber(BigInt(a.amountMinor) + BigInt(b.amountMinor), 'sum'), a.currency);
}

/** The sum of `list` in `currency` (zero for an empty list); throws on any other currency. */
export function sumMoney(list: readonly Money[], currency: string): Money {
  let total = money(0, currency);
  for (const m of list) total = addMoney(total, m);
  return total;
}

/** `m` × an integer quantity (exact: no rounding needed). */
export function multiplyMoney(m: Money, quantity: number): Money {
  assertInteger(quantity, 'quantity');
  return money(toSafeNumber(BigInt(m.amountMinor) * BigInt(quantity), 'product'), m.currency);
}

/** `m` × bp / 10 000 (20 % = 2000 bp), rounded by the rule above. */
export function applyBasisPoints(m: Money, basisPoints: number): Money {
  assertInteger(basisPoints, 'basisPoints');
  return money(toSafeNumber(divideRounded(BigInt(m.amountMinor) * BigInt(basisPoints), BASIS_POINTS), 'amount'), m.currency);
}

/** `m` × ppm / 1 000 000 (0.474 % = 4740 ppm), rounded by the rule above. */
export function applyPpm(m: Money, ppm: number): Money {
  assertInteger(ppm, 'ppm');
  return money(toSafeNumber(divideRounded(BigInt(m.amountMinor) * BigInt(ppm), PPM), 'amount'), m.currency);
}

function microsPerMinor(currency: Currency): bigint {
  return MICROS_PER_MAJOR / 10n ** BigInt(MINOR_DIGITS[currency]);
}

/**
 * Millionths of the major unit ($0.0188 = 18 800) to minor units, rounded by
 * the rule above: 1234 min × $0.0188 = 23 199 200 micros = $23.1992 → 2320 cents.
 */
export function microsToMinor(micros: number | bigint, currency: string): number {
  assertCurrency(currency);
  if (typeof micros === 'number') assertInteger(micros, 'micros');
  return toSafeNumber(divideRounded(BigInt(micros), microsPerMinor(currency)), 'amount');
}

/** Minor units to millionths of the major unit (exact): $100.00 → 100 000 000. */
export function minorToMicros(amountMinor: number, currency: string): number {
  assertCurrency(currency);
  assertInteger(amountMinor, 'amountMinor');
  return toSafeNumber(BigInt(amountMinor) * microsPerMinor(currency), 'micros');
}

/** The yearly price of a monthly price: 12 × monthly less a discount (2000 bp = −20 % [003 §6.2]). */
export function yearlyPrice(monthly: Money, discountBasisPoints: number): Money {
  const twelve = multiplyMoney(monthly, 12);
  const discount = applyBasisPoints(twelve, discountBasisPoints);
  return money(twelve.amountMinor - discount.amountMinor, monthly.currency);
}

/** The amount as an exact decimal string ("-1234.56"), which Intl formats without a float. */
function decimalString(m: Money): `${number}` {
  const digits = MINOR_DIGITS[m.currency as Currency];
  const magnitude = BigInt(Math.abs(m.amountMinor)).toString().padStart(digits + 1, '0');
  const sign = m.amountMinor < 0 ? '-' : '';
  const text = digits === 0 ? sign + magnitude : `${sign}${magnitude.slice(0, -digits)}.${magnitude.slice(-digits)}`;
  return text as `${number}`;
}

/**
 * For people: '1.234,56 ₺' / '1.234,56 $' in Turkish (amount, then the
 * symbol, as Turkish invoices write it), '₺1,234.56' / '$1,234.56' in English.
 */
export function formatMoney(m: Money, locale: 'tr' | 'en'): string {
  assertCurrency(m.currency);
  const digits = MINOR_DIGITS[m.currency];
  const format = new Intl.NumberFormat(locale === 'tr' ? 'tr-TR' : 'en-US', {
    style: 'currency',
    currency: m.currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl formats an exact decimal string (ES2023), so no float is involved.
  const value = decimalString(m);
  if (locale === 'en') return format.format(value);
  const parts = format.formatToParts(value);
  const symbol = parts.find((part) => part.type === 'currency')?.value ?? m.currency;
  const amount = parts
    .filter((part) => part.type !== 'currency' && part.type !== 'literal')
    .map((part) => part.value)
    .join('');
  return `${amount} ${symbol}`;
}

/** The entry of a price list in `currency`, as plain Money (null when the list has none). */
export function priceIn(prices: readonly { amountMinor: number; currency: string }[], currency: string): Money | null {
  const price = prices.find((p) => p.currency === currency);
  return price ? { amountMinor: price.amountMinor, currency } : null;
}
