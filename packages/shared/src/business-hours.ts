import { isTurkishPublicHoliday } from './business-days.ts';

/**
 * Business time for support SLAs (SUP-3): time that passes only while the
 * support desk is open. Pure and deterministic (no clock reads, no I/O), so
 * the ticket workflow imports it through `@omurga/shared/business-hours` and
 * computes due times inside workflow code; date-holidays bundles into the
 * Temporal workflow bundle.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Longest stretch searched for an open day, so a calendar without any open day fails instead of looping. */
const MAX_DAYS_SEARCHED = 3_660;

export interface BusinessHoursCalendar {
  /** Minutes after local midnight the desk opens and closes (same every open day). */
  opensAtMinute: number;
  closesAtMinute: number;
  /** Fixed offset of local time from UTC, in minutes. */
  utcOffsetMinutes: number;
  /** Whether the desk is closed the whole local day starting at `localMidnight`. */
  isClosedDay(localMidnight: Date): boolean;
}

/**
 * The support desk: 10:00–22:00 Europe/Istanbul (fixed UTC+03:00 since 2016).
 *
 * Every day of the week counts: [001 §8.1] "Mesai Saatleri içerisinde
 * (10:00-22:00)" names the hours only, no weekdays, so Saturdays and Sundays
 * are support days. Turkish public holidays (national and religious, the
 * same days as ACC-7 business days) are closed. The arife half-day before
 * Ramazan and Kurban Bayramı stays a full support day: its afternoon off is
 * an administrative leave for public servants, not a public holiday, and
 * date-holidays does not list it.
 */
export const SUPPORT_BUSINESS_HOURS: BusinessHoursCalendar = {
  opensAtMinute: 10 * 60,
  closesAtMinute: 22 * 60,
  utcOffsetMinutes: 3 * 60,
  isClosedDay: isTurkishPublicHoliday,
};

const BUSINESS_DURATION = /^PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/;

/**
 * Milliseconds of an ISO-8601 business-time duration (PT3H, PT5M, PT1H30M).
 * Only hours, minutes and seconds: a "business day" is ambiguous, so P1D is rejected.
 */
export function businessDurationMs(iso: string): number {
  const match = BUSINESS_DURATION.exec(iso);
  if (!match) throw new RangeError(`not an ISO-8601 business-time duration (PTnHnMnS): ${iso}`);
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return (Number(hours) * 60 + Number(minutes)) * MINUTE_MS + Number(seconds) * 1000;
}

interface OpenDay {
  opensAt: number;
  closesAt: number;
}

function localDayStart(ms: number, calendar: BusinessHoursCalendar): number {
  const offset = calendar.utcOffsetMinutes * MINUTE_MS;
  return Math.floor((ms + offset) / DAY_MS) * DAY_MS - offset;
}

/** The open hours of the local day starting at `dayStart`, or null when the desk is closed that day. */
function openDay(dayStart: number, calendar: BusinessHoursCalendar): OpenDay | null {
  if (calendar.isClosedDay(new Date(dayStart))) return null;
  return { opensAt: dayStart + calendar.opensAtMinute * MINUTE_MS, closesAt: dayStart + calendar.closesAtMinute * MINUTE_MS };
}

function assertValid(instant: Date, calendar: BusinessHoursCalendar): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid date');
  if (!(calendar.opensAtMinute >= 0 && calendar.opensAtMinute < calendar.closesAtMinute && calendar.closesAtMinute <= 24 * 60)) {
    throw new RangeError('Business hours must open before they close, within one day');
  }
  return ms;
}

/** `fromMs` plus `durationMs` of business time; time outside business hours does not count. */
function addBusinessMs(fromMs: number, durationMs: number, calendar: BusinessHoursCalendar): number {
  let remaining = durationMs;
  let dayStart = localDayStart(fromMs, calendar);
  let cursor = fromMs;
  for (let searched = 0; searched < MAX_DAYS_SEARCHED; searched++, dayStart += DAY_MS) {
    const day = openDay(dayStart, calendar);
    if (!day || cursor >= day.closesAt) continue;
    const start = Math.max(cursor, day.opensAt);
    // A due time at closing stays there (22:00) rather than moving to the next opening.
    if (remaining <= day.closesAt - start) return start + remaining;
    remaining -= day.closesAt - start;
    cursor = day.closesAt;
  }
  throw new RangeError('No business hours within ten years');
}

/** `fromMs` minus `durationMs` of business time. */
function subtractBusinessMs(fromMs: number, durationMs: number, calendar: BusinessHoursCalendar): number {
  let remaining = durationMs;
  let dayStart = localDayStart(fromMs, calendar);
  let cursor = fromMs;
  for (let searched = 0; searched < MAX_DAYS_SEARCHED; searched++, dayStart -= DAY_MS) {
    const day = openDay(dayStart, calendar);
    if (!day || cursor <= day.opensAt) continue;
    const end = Math.min(cursor, day.closesAt);
    if (remaining <= end - day.opensAt) return end - remaining;
    remaining -= end - day.opensAt;
    cursor = day.opensAt;
  }
  throw new RangeError('No business hours within ten years');
}

/**
 * The instant `isoDuration` of business time after `from`. Opened outside
 * business hours, the clock starts at the next opening (10:00); a zero
 * duration outside business hours therefore gives the next opening.
 */
export function addBusinessTime(from: Date, isoDuration: string, calendar: BusinessHoursCalendar = SUPPORT_BUSINESS_HOURS): Date {
  return new Date(addBusinessMs(assertValid(from, calendar), businessDurationMs(isoDuration), calendar));
}

/** `addBusinessTime` with the duration in milliseconds (e.g. the remaining time of a paused clock). */
export function addBusinessMilliseconds(from: Date, durationMs: number, calendar: BusinessHoursCalendar = SUPPORT_BUSINESS_HOURS): Date {
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new RangeError(`Business time must be a non-negative number of ms, got ${durationMs}`);
  return new Date(addBusinessMs(assertValid(from, calendar), durationMs, calendar));
}

/** The instant `isoDuration` of business time before `from` (e.g. a warning before a due time). */
export function subtractBusinessTime(from: Date, isoDuration: string, calendar: BusinessHoursCalendar = SUPPORT_BUSINESS_HOURS): Date {
  return new Date(subtractBusinessMs(assertValid(from, calendar), businessDurationMs(isoDuration), calendar));
}

/** Milliseconds of business time from `a` to `b`; 0 when `b` is not after `a`. */
export function businessTimeBetween(a: Date, b: Date, calendar: BusinessHoursCalendar = SUPPORT_BUSINESS_HOURS): number {
  const from = assertValid(a, calendar);
  const to = assertValid(b, calendar);
  let total = 0;
  for (let dayStart = localDayStart(from, calendar); dayStart < to; dayStart += DAY_MS) {
    const day = openDay(dayStart, calendar);
    if (!day) continue;
    total += Math.max(0, Math.min(to, day.closesAt) - Math.max(from, day.opensAt));
  }
  return total;
}
