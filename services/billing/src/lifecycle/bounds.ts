import { z } from 'zod';
import { addDuration, isIsoDuration } from '@omurga/shared/durations';

/**
 * The sane limits of what a contract policy may say. Calendar durations
 * (P1M, P1Y) have no fixed length, so they are measured from one fixed
 * instant; the bounds are far from any real contract, so that choice never
 * decides a real case.
 */
const MEASURED_FROM = Date.UTC(2026, 0, 1);
export const SECOND_MS = 1_000;
export const DAY_MS = 86_400_000;
/** Nothing in a policy waits longer than twenty years (ten-year retention with room; input-bounds.ts agrees). */
export const MAX_DURATION = 'P20Y';
/** GraphQL Int is 32-bit: the largest amount the API can show. */
export const MAX_API_INT = 2_147_483_647;
/** One fee or price: at most 100 000.00, so about a hundred lines and KDV still fit an invoice total (input-bounds.ts MAX_PRICE_MINOR). */
export const MAX_AMOUNT_MINOR = 10_000_000;
/** Only currencies billing issues invoices in (money.ts keeps the same list). */
export const POLICY_CURRENCIES = ['TRY', 'USD'] as const;

/** The length of an ISO-8601 duration in milliseconds, measured from a fixed instant. */
export function durationMs(iso: string): number {
  return addDuration(MEASURED_FROM, iso) - MEASURED_FROM;
}

const MAX_DURATION_MS = durationMs(MAX_DURATION);
const measurable = (iso: string) => iso.length <= 32 && isIsoDuration(iso);

/**
 * An ISO-8601 duration between `minMs` and twenty years. The text is short (no
 * thousand-digit counts) and its length is checked before anything adds it.
 */
export function boundedDuration(minMs: number) {
  return z
    .string()
    .max(32, { message: 'DURATION_TOO_LONG' })
    .refine(isIsoDuration, { message: 'INVALID_DURATION' })
    .refine((iso) => !measurable(iso) || durationMs(iso) <= MAX_DURATION_MS, { message: 'DURATION_TOO_LONG' })
    .refine((iso) => !measurable(iso) || durationMs(iso) >= minMs, { message: minMs > 0 ? 'DURATION_TOO_SHORT' : 'INVALID_DURATION' });
}

/** A period (billing, trial, retry spacing): at least one second. */
export const periodDuration = boundedDuration(SECOND_MS);
/** A delay or notice that may be zero (PT0S = at once). */
export const delayDuration = boundedDuration(0);

export const currencyCode = z.string().refine((c) => (POLICY_CURRENCIES as readonly string[]).includes(c), { message: 'UNSUPPORTED_CURRENCY' });
export const boundedAmountMinor = z
  .number()
  .int({ message: 'MUST_BE_INTEGER' })
  .min(0, { message: 'MUST_NOT_BE_NEGATIVE' })
  .max(MAX_AMOUNT_MINOR, { message: 'AMOUNT_TOO_LARGE' });
export const boundedMoney = z.object({ amountMinor: boundedAmountMinor, currency: currencyCode }).strict();
/** Money per currency: at most one amount for each. */
export const moneyPerCurrency = z
  .array(boundedMoney)
  .max(POLICY_CURRENCIES.length)
  .refine((list) => new Set(list.map((m) => m.currency)).size === list.length, { message: 'DUPLICATE_CURRENCY' });
