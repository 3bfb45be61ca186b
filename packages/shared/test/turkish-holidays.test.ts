import { describe, expect, it } from 'vitest';
import { TURKISH_HOLIDAY_TABLE_YEARS, TURKISH_PUBLIC_HOLIDAY_DAYS } from '../src/turkish-holidays.ts';
import { turkishPublicHolidayDays } from '../src/turkish-holidays-source.ts';
import { isTurkishPublicHoliday } from '../src/business-days.ts';

describe('the Turkish public holiday table (ACC-7, SUP-3; issue 16)', () => {
  it('lists exactly the days date-holidays gives for every year it covers (regenerate: node scripts/generate-turkish-holidays.ts)', () => {
    const table = Object.entries(TURKISH_PUBLIC_HOLIDAY_DAYS).flatMap(([year, days]) => days.split(' ').map((monthDay) => `${year}-${monthDay}`));
    expect(table).toEqual(turkishPublicHolidayDays(TURKISH_HOLIDAY_TABLE_YEARS.first, TURKISH_HOLIDAY_TABLE_YEARS.last));
    expect(table.length).toBeGreaterThan(1_000);
  });

  it('answers from it, and refuses a year outside it rather than guess', () => {
    expect(isTurkishPublicHoliday(new Date('2026-10-29T12:00:00+03:00'))).toBe(true);
    expect(isTurkishPublicHoliday(new Date('2026-10-28T12:00:00+03:00'))).toBe(false);
    expect(() => isTurkishPublicHoliday(new Date('2101-01-01T12:00:00+03:00'))).toThrow(RangeError);
  });
});
