import { DateTime, Duration } from 'luxon';

/**
 * ISO-8601 durations of contract policies (SPEC §1): P14D, P1M, P1Y, PT30S.
 * Pure and deterministic, so workflows import it too (`@omurga/shared/durations`).
 * Calendar units (months, years, days) are added on the Turkish calendar
 * (Europe/Istanbul), so a monthly period started 31 January ends on the last
 * day of February and a P1D step is always one calendar day.
 */
const ZONE = 'Europe/Istanbul';
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

export function isIsoDuration(value: string): boolean {
  return ISO_DURATION.test(value);
}

function parse(iso: string): Duration {
  if (!isIsoDuration(iso)) throw new RangeError(`not an ISO-8601 duration: ${iso}`);
  return Duration.fromISO(iso);
}

/** `from` (epoch ms) plus the duration, in epoch ms. */
export function addDuration(from: number, iso: string): number {
  return DateTime.fromMillis(from, { zone: ZONE }).plus(parse(iso)).toMillis();
}

/** `from` (epoch ms) minus the duration, in epoch ms. */
export function subtractDuration(from: number, iso: string): number {
  return DateTime.fromMillis(from, { zone: ZONE }).minus(parse(iso)).toMillis();
}

/** True for a duration of zero length (PT0S, P0D). */
export function isZeroDuration(iso: string): boolean {
  return parse(iso).toMillis() === 0;
}

/** Whole days of a day-only duration (P7D → 7), for business-day counts; null for anything else. */
export function wholeDays(iso: string): number | null {
  const match = /^P(\d+)D$/.exec(iso);
  return match ? Number(match[1]) : null;
}

/** An ISO-8601 duration no longer than `max` (P99999Y would overflow date arithmetic or keep a clock stepping for ever). */
export function isDurationAtMost(value: string, max: string): boolean {
  if (!isIsoDuration(value)) return false;
  const from = Date.UTC(2000, 0, 1);
  const to = addDuration(from, value);
  return Number.isFinite(to) && to <= addDuration(from, max);
}
