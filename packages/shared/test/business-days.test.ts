import { describe, expect, it } from 'vitest';
import { addTurkishBusinessDays, isTurkishBusinessDay } from '../src/business-days.ts';

/** An instant given as Istanbul wall-clock time. */
const istanbul = (localDateTime: string) => new Date(`${localDateTime}+03:00`);

describe('addTurkishBusinessDays (ACC-7: deadline at the end of the Nth business day after the request)', () => {
  it('counts from the day after the request and skips the weekend', () => {
    // Fri 20 Nov 2026 → Mon 23, Tue 24, Wed 25; the deadline is 00:00 Istanbul on Thu 26.
    expect(addTurkishBusinessDays(istanbul('2026-11-20T15:00:00'), 3).toISOString()).toBe('2026-11-25T21:00:00.000Z');
  });

  it('uses the Istanbul calendar day of the request, not the UTC one', () => {
    // 23:30 Istanbul on Thu 19 Nov is still Thursday 20:30 UTC; 00:30 Istanbul on Fri 20 is Thursday 21:30 UTC.
    expect(addTurkishBusinessDays(istanbul('2026-11-19T23:30:00'), 1).toISOString()).toBe('2026-11-20T21:00:00.000Z');
    expect(addTurkishBusinessDays(istanbul('2026-11-20T00:30:00'), 1).toISOString()).toBe('2026-11-23T21:00:00.000Z');
  });

  it('skips Ramazan Bayramı 2026 (20–22 March) and reopens on Monday 23', () => {
    // Thu 19 (arife) request → Mon 23, Tue 24, Wed 25.
    expect(addTurkishBusinessDays(istanbul('2026-03-19T10:00:00'), 3).toISOString()).toBe('2026-03-25T21:00:00.000Z');
  });

  it('treats the arife half-day before Ramazan Bayramı as a business day', () => {
    expect(addTurkishBusinessDays(istanbul('2026-03-18T10:00:00'), 1).toISOString()).toBe('2026-03-19T21:00:00.000Z');
  });

  it('skips Kurban Bayramı 2026 (27–30 May)', () => {
    // Tue 26 (arife) request → Wed 27–Sat 30 holiday, Sun 31 → Mon 1, Tue 2, Wed 3 June.
    expect(addTurkishBusinessDays(istanbul('2026-05-26T09:00:00'), 3).toISOString()).toBe('2026-06-03T21:00:00.000Z');
  });

  it('skips 29 Ekim (Cumhuriyet Bayramı)', () => {
    // Wed 28 Oct 2026 → Thu 29 holiday → Fri 30, Mon 2 Nov, Tue 3 Nov.
    expect(addTurkishBusinessDays(istanbul('2026-10-28T16:00:00'), 3).toISOString()).toBe('2026-11-03T21:00:00.000Z');
  });

  it('skips 1 January across the year boundary', () => {
    // Wed 31 Dec 2025 → Thu 1 Jan holiday → Fri 2, Mon 5, Tue 6.
    expect(addTurkishBusinessDays(istanbul('2025-12-31T17:00:00'), 3).toISOString()).toBe('2026-01-06T21:00:00.000Z');
  });

  it('starts counting from the next business day when requested on a holiday', () => {
    // Sat 21 March 2026, inside Ramazan Bayramı → Mon 23.
    expect(addTurkishBusinessDays(istanbul('2026-03-21T12:00:00'), 1).toISOString()).toBe('2026-03-23T21:00:00.000Z');
    // Thu 23 April 2026, Ulusal Egemenlik ve Çocuk Bayramı → Fri 24, Mon 27.
    expect(addTurkishBusinessDays(istanbul('2026-04-23T12:00:00'), 2).toISOString()).toBe('2026-04-27T21:00:00.000Z');
  });

  it('with 0 days ends at the end of the request day', () => {
    expect(addTurkishBusinessDays(istanbul('2026-11-20T15:00:00'), 0).toISOString()).toBe('2026-11-20T21:00:00.000Z');
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s days with a RangeError', (days) => {
    expect(() => addTurkishBusinessDays(istanbul('2026-11-20T15:00:00'), days)).toThrow(RangeError);
  });
});

describe('isTurkishBusinessDay (ACC-7)', () => {
  it.each([
    ['2026-01-01T12:00:00', false], // Yılbaşı
    ['2026-01-02T12:00:00', true],
    ['2026-03-19T12:00:00', true], // arife of Ramazan Bayramı
    ['2026-03-20T00:00:00', false], // Ramazan Bayramı, first minute in Istanbul
    ['2026-03-22T23:59:00', false],
    ['2026-03-23T00:00:00', true],
    ['2026-04-23T12:00:00', false],
    ['2026-05-01T12:00:00', false],
    ['2026-05-19T12:00:00', false],
    ['2026-05-26T12:00:00', true], // arife of Kurban Bayramı
    ['2026-05-29T12:00:00', false], // Kurban Bayramı, a Friday
    ['2026-06-01T12:00:00', true],
    ['2026-07-15T12:00:00', false],
    ['2026-10-29T12:00:00', false],
    ['2026-11-21T12:00:00', false], // Saturday
    ['2026-11-22T12:00:00', false], // Sunday
    ['2027-03-10T12:00:00', false], // Ramazan Bayramı 2027 (9–11 March)
    ['2027-03-12T12:00:00', true],
    ['2027-05-18T12:00:00', false], // Kurban Bayramı 2027 (16–19 May), a Tuesday
    ['2027-05-20T12:00:00', true],
  ])('%s Istanbul → %s', (local, expected) => {
    expect(isTurkishBusinessDay(istanbul(local))).toBe(expected);
  });
});
