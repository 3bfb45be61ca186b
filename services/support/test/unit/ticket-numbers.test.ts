import { describe, expect, it } from 'vitest';
import { TICKET_NUMBER_PATTERN, formatTicketNumber, ticketYear } from '../../src/ticket-numbers.ts';

describe('ticket numbers (SUP-1)', () => {
  it('formats DST-<year>-<six-digit sequence>', () => {
    expect(formatTicketNumber(2026, 123)).toBe('DST-2026-000123');
    expect(formatTicketNumber(2026, 1)).toMatch(TICKET_NUMBER_PATTERN);
  });

  it('keeps counting past six digits instead of wrapping', () => {
    expect(formatTicketNumber(2026, 1_234_567)).toBe('DST-2026-1234567');
    expect(formatTicketNumber(2026, 1_234_567)).toMatch(TICKET_NUMBER_PATTERN);
  });

  it('refuses a sequence that is not a positive integer', () => {
    expect(() => formatTicketNumber(2026, 0)).toThrow(RangeError);
    expect(() => formatTicketNumber(2026, 1.5)).toThrow(RangeError);
  });

  it('numbers by the calendar year in Turkey (UTC+3), not in UTC', () => {
    expect(ticketYear(new Date('2026-12-31T21:30:00Z'))).toBe(2027);
    expect(ticketYear(new Date('2026-12-31T20:59:00Z'))).toBe(2026);
  });
});
