import { describe, expect, it } from 'vitest';
import {
  addBusinessMilliseconds,
  addBusinessTime,
  businessDurationMs,
  businessTimeBetween,
  subtractBusinessTime,
  type BusinessHoursCalendar,
} from '../src/business-hours.ts';

/** An instant given as Istanbul wall-clock time. */
const istanbul = (localDateTime: string) => new Date(`${localDateTime}+03:00`);
const due = (localDateTime: string, duration: string) => addBusinessTime(istanbul(localDateTime), duration).toISOString();
const HOUR_MS = 3_600_000;

describe('addBusinessTime (SUP-3: response targets in business hours, 10:00–22:00 Europe/Istanbul [001 §8.1])', () => {
  it('SUP-3: counts within the same day while the desk is open', () => {
    expect(due('2026-11-23T10:00:00', 'PT3H')).toBe(istanbul('2026-11-23T13:00:00').toISOString());
    expect(due('2026-11-23T12:10:00', 'PT5M')).toBe(istanbul('2026-11-23T12:15:00').toISOString());
  });

  it('SUP-3: a due time that ends exactly at closing stays at 22:00', () => {
    expect(due('2026-11-23T19:00:00', 'PT3H')).toBe(istanbul('2026-11-23T22:00:00').toISOString());
  });

  it('SUP-3: a ticket opened outside business hours starts its clock at the next 10:00', () => {
    expect(due('2026-11-23T03:00:00', 'PT3H')).toBe(istanbul('2026-11-23T13:00:00').toISOString());
    expect(due('2026-11-23T23:00:00', 'PT3H')).toBe(istanbul('2026-11-24T13:00:00').toISOString());
    expect(due('2026-11-23T22:00:00', 'PT0S')).toBe(istanbul('2026-11-24T10:00:00').toISOString());
  });

  it('SUP-3: the remainder carries over to the next day at 10:00', () => {
    expect(due('2026-11-23T21:00:00', 'PT3H')).toBe(istanbul('2026-11-24T12:00:00').toISOString());
  });

  it('SUP-3: Saturdays and Sundays are support days ([001 §8.1] names hours, not weekdays)', () => {
    // Fri 20 Nov 2026 21:30 → 30 min Friday, 2 h 30 min on Saturday 21.
    expect(due('2026-11-20T21:30:00', 'PT3H')).toBe(istanbul('2026-11-21T12:30:00').toISOString());
    expect(due('2026-11-21T20:00:00', 'PT3H')).toBe(istanbul('2026-11-22T11:00:00').toISOString());
  });

  it('SUP-3: a ticket opened Friday 21:30 before a public holiday (Sat 1 May 2027, Emek ve Dayanışma Günü) is due Sunday 12:30', () => {
    expect(due('2027-04-30T21:30:00', 'PT3H')).toBe('2027-05-02T09:30:00.000Z');
  });

  it('SUP-3: skips Cumhuriyet Bayramı (Thu 29 Oct 2026)', () => {
    expect(due('2026-10-28T21:00:00', 'PT3H')).toBe(istanbul('2026-10-30T12:00:00').toISOString());
  });

  it('SUP-3: skips Yılbaşı across the year boundary', () => {
    expect(due('2026-12-31T21:00:00', 'PT2H')).toBe(istanbul('2027-01-02T11:00:00').toISOString());
  });

  it('SUP-3: skips the four days of Kurban Bayramı 2026 (27–30 May); its arife (26 May) counts in full', () => {
    expect(due('2026-05-26T21:30:00', 'PT3H')).toBe(istanbul('2026-05-31T12:30:00').toISOString());
    // Arife decision: the afternoon off is public servants' leave, not a holiday, so 14:00 + 3 h is 17:00 the same day.
    expect(due('2026-05-26T14:00:00', 'PT3H')).toBe(istanbul('2026-05-26T17:00:00').toISOString());
    expect(due('2026-05-28T11:00:00', 'PT1H')).toBe(istanbul('2026-05-31T11:00:00').toISOString());
  });

  it('SUP-3: skips the three days of Ramazan Bayramı 2026 (20–22 March)', () => {
    expect(due('2026-03-19T20:00:00', 'PT3H')).toBe(istanbul('2026-03-23T11:00:00').toISOString());
  });

  it('SUP-3: spans several business days for long targets', () => {
    // 12 h per day: PT30H from Mon 10:00 is Mon (12 h) + Tue (12 h) + Wed 10:00 + 6 h.
    expect(due('2026-11-23T10:00:00', 'PT30H')).toBe(istanbul('2026-11-25T16:00:00').toISOString());
  });

  it('adds a remaining number of milliseconds (a resumed clock)', () => {
    expect(addBusinessMilliseconds(istanbul('2026-11-23T21:00:00'), 2 * HOUR_MS).toISOString()).toBe(
      istanbul('2026-11-24T11:00:00').toISOString(),
    );
    expect(() => addBusinessMilliseconds(istanbul('2026-11-23T21:00:00'), -1)).toThrow(RangeError);
  });

  it('takes another calendar', () => {
    const weekdaysNineToSix: BusinessHoursCalendar = {
      opensAtMinute: 9 * 60,
      closesAtMinute: 18 * 60,
      utcOffsetMinutes: 0,
      isClosedDay: (midnight) => midnight.getUTCDay() === 0 || midnight.getUTCDay() === 6,
    };
    // Fri 20 Nov 2026 17:00 UTC + 2 h → 1 h Friday, Mon 23 10:00 UTC.
    expect(addBusinessTime(new Date('2026-11-20T17:00:00Z'), 'PT2H', weekdaysNineToSix).toISOString()).toBe('2026-11-23T10:00:00.000Z');
  });

  it('fails instead of looping for a calendar that is never open', () => {
    const closed: BusinessHoursCalendar = { opensAtMinute: 600, closesAtMinute: 1320, utcOffsetMinutes: 180, isClosedDay: () => true };
    expect(() => addBusinessTime(istanbul('2026-11-23T10:00:00'), 'PT1H', closed)).toThrow(RangeError);
  });

  it('rejects calendar units, malformed durations and invalid dates', () => {
    expect(() => due('2026-11-23T10:00:00', 'P1D')).toThrow(RangeError);
    expect(() => due('2026-11-23T10:00:00', 'PT')).toThrow(RangeError);
    expect(() => due('2026-11-23T10:00:00', '3 hours')).toThrow(RangeError);
    expect(() => addBusinessTime(new Date('nope'), 'PT1H')).toThrow(RangeError);
  });
});

describe('subtractBusinessTime and businessTimeBetween (SUP-3 warnings and paused clocks)', () => {
  it('SUP-3: a warning one business hour before Sunday 10:30 after a holiday Saturday is Friday 21:30', () => {
    expect(subtractBusinessTime(new Date('2027-05-02T07:30:00Z'), 'PT1H').toISOString()).toBe(istanbul('2027-04-30T21:30:00').toISOString());
  });

  it('SUP-3: a zero warning is the due time itself', () => {
    expect(subtractBusinessTime(istanbul('2026-11-23T13:00:00'), 'PT0S').toISOString()).toBe(istanbul('2026-11-23T13:00:00').toISOString());
  });

  it('SUP-3: counts only open hours between two instants, skipping nights and holidays', () => {
    expect(businessTimeBetween(istanbul('2027-04-30T21:30:00'), new Date('2027-05-02T09:30:00Z'))).toBe(3 * HOUR_MS);
    expect(businessTimeBetween(istanbul('2026-11-23T23:00:00'), istanbul('2026-11-24T09:59:00'))).toBe(0);
    expect(businessTimeBetween(istanbul('2026-11-23T12:00:00'), istanbul('2026-11-23T11:00:00'))).toBe(0);
  });

  it('is the inverse of addBusinessTime', () => {
    for (const from of ['2026-05-26T21:30:00', '2026-11-23T03:00:00', '2026-12-31T21:00:00']) {
      const start = istanbul(from);
      const end = addBusinessTime(start, 'PT7H45M');
      expect(businessTimeBetween(start, end)).toBe(businessDurationMs('PT7H45M'));
    }
  });
});
