import { TURKISH_HOLIDAY_TABLE_YEARS, TURKISH_PUBLIC_HOLIDAY_DAYS } from './turkish-holidays.ts';

/**
 * Turkish business days (SPEC ACC-7): not Saturday or Sunday, and not a
 * `public` holiday per date-holidays. Arife half-days are not `public`, so
 * they stay business days. Days are calendar days in Europe/Istanbul.
 *
 * The holidays come from a table generated from date-holidays
 * (`turkish-holidays.ts`, checked against it by a test), not from
 * date-holidays itself: workflow code imports this module, and the worker
 * evaluates every module of a workflow again for each workflow it caches;
 * date-holidays with moment and astronomia made that some 1 100 modules and
 * 2 MB per cached workflow (issue 16).
 */

// Turkey has been on fixed UTC+03:00 with no DST since 2016.
const ISTANBUL_OFFSET_MS = 3 * 3_600_000;
const DAY_MS = 86_400_000;

let holidayDays: ReadonlySet<string> | null = null;

/** Days since 1970-01-01 of the Istanbul calendar day containing `instant`. */
const istanbulDayNumber = (instant: Date): number => Math.floor((instant.getTime() + ISTANBUL_OFFSET_MS) / DAY_MS);

/** 'YYYY-MM-DD' of a day number (the day number is Istanbul-based, the formatting is plain calendar arithmetic). */
const isoDay = (dayNumber: number): string => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

function isHolidayDayNumber(dayNumber: number): boolean {
  const day = isoDay(dayNumber);
  const year = Number(day.slice(0, 4));
  if (year < TURKISH_HOLIDAY_TABLE_YEARS.first || year > TURKISH_HOLIDAY_TABLE_YEARS.last) {
    throw new RangeError(`Turkish public holidays are known for ${TURKISH_HOLIDAY_TABLE_YEARS.first}–${TURKISH_HOLIDAY_TABLE_YEARS.last}, not ${year}`);
  }
  holidayDays ??= new Set(Object.entries(TURKISH_PUBLIC_HOLIDAY_DAYS).flatMap(([y, days]) => days.split(' ').map((monthDay) => `${y}-${monthDay}`)));
  return holidayDays.has(day);
}

function isBusinessDayNumber(dayNumber: number): boolean {
  const weekday = new Date(dayNumber * DAY_MS).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !isHolidayDayNumber(dayNumber);
}

function assertValidInstant(instant: Date): void {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid date');
}

/**
 * Whether the Istanbul calendar day containing `day` is a Turkish public
 * holiday (national and religious; the arife half-day is not one).
 */
export function isTurkishPublicHoliday(day: Date): boolean {
  assertValidInstant(day);
  return isHolidayDayNumber(istanbulDayNumber(day));
}

/** Whether the Istanbul calendar day containing `day` is a Turkish business day. */
export function isTurkishBusinessDay(day: Date): boolean {
  assertValidInstant(day);
  return isBusinessDayNumber(istanbulDayNumber(day));
}

/**
 * The deadline `days` business days after `from`: the end of the Nth full
 * business day after the Istanbul calendar day of `from` (the day of the
 * request itself never counts), i.e. 00:00 Istanbul of the next calendar day.
 * With `days` = 0 it is the end of the day of `from`.
 */
export function addTurkishBusinessDays(from: Date, days: number): Date {
  assertValidInstant(from);
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`Business days must be a non-negative integer, got ${days}`);
  }
  let dayNumber = istanbulDayNumber(from);
  for (let counted = 0; counted < days; ) {
    dayNumber += 1;
    if (isBusinessDayNumber(dayNumber)) counted += 1;
  }
  return new Date((dayNumber + 1) * DAY_MS - ISTANBUL_OFFSET_MS);
}
