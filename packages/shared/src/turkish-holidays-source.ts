import Holidays from 'date-holidays';

/**
 * Where the table in `turkish-holidays.ts` comes from: the calendar days of
 * the `public` Turkish holidays date-holidays lists for each year (a day may
 * spill into the next year). Religious holidays start at sunset of the eve
 * in date-holidays (Ramazan Bayramı 2026: 19 Mar 15:00Z to 23 Mar 09:00Z,
 * 3.75 days), so the first day comes from `date` and the length is the whole
 * days of the span. Not imported by workflow code: date-holidays and what it
 * pulls in (moment, moment-timezone, astronomia) are some 1 100 modules,
 * evaluated again for every workflow the worker caches (issue 16).
 */
export function turkishPublicHolidayDays(firstYear: number, lastYear: number): string[] {
  const holidays = new Holidays('TR', { types: ['public'] });
  const days = new Set<string>();
  for (let year = firstYear; year <= lastYear; year += 1) {
    for (const h of holidays.getHolidays(year)) {
      const first = Date.parse(`${h.date.slice(0, 10)}T00:00:00Z`) / 86_400_000;
      const length = Math.floor((h.end.getTime() - h.start.getTime()) / 86_400_000);
      for (let i = 0; i < length; i++) days.add(new Date((first + i) * 86_400_000).toISOString().slice(0, 10));
    }
  }
  return [...days].sort();
}
