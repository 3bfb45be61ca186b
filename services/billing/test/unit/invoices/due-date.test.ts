import { describe, expect, it } from 'vitest';
import { invoiceDueAt, type DueDatePolicy } from '../../../src/invoices/due-date.ts';

const policy = (overrides: Partial<DueDatePolicy>): DueDatePolicy => ({
  collectionMethod: 'BANK_TRANSFER',
  paymentDueAfter: 'P7D',
  paymentDueInBusinessDays: false,
  ...overrides,
});

describe('invoiceDueAt (BIL-8 due date)', () => {
  const issuedAt = new Date('2026-03-02T07:00:00Z'); // Monday 10:00 in Istanbul

  it('is due at issue when collected by card', () => {
    const due = invoiceDueAt(issuedAt, policy({ collectionMethod: 'CARD_AUTO', paymentDueAfter: 'P14D' }));
    expect(due.toISOString()).toBe(issuedAt.toISOString());
    expect(due).not.toBe(issuedAt); // a copy, so callers cannot alter one through the other
  });

  it('adds paymentDueAfter on the calendar for bank transfer and advance', () => {
    expect(invoiceDueAt(issuedAt, policy({ paymentDueAfter: 'P14D' })).toISOString()).toBe('2026-03-16T07:00:00.000Z');
    expect(invoiceDueAt(issuedAt, policy({ collectionMethod: 'ADVANCE', paymentDueAfter: 'P1M' })).toISOString()).toBe('2026-04-02T07:00:00.000Z');
  });

  it('adds calendar months on the Istanbul calendar (31 Jan + P1M = end of February)', () => {
    const due = invoiceDueAt(new Date('2026-01-31T09:00:00Z'), policy({ paymentDueAfter: 'P1M' }));
    expect(due.toISOString()).toBe('2026-02-28T09:00:00.000Z');
  });

  it('is due at issue when the policy sets no payment term', () => {
    expect(invoiceDueAt(issuedAt, policy({ paymentDueAfter: null })).toISOString()).toBe(issuedAt.toISOString());
  });

  it('counts Turkish business days: EFT within 7 business days [003 §6.4.1] skips the weekend', () => {
    // Mon 2 Mar 2026: business days 3,4,5,6,9,10,11 Mar → end of Wed 11 Mar (00:00 Istanbul on the 12th)
    const due = invoiceDueAt(issuedAt, policy({ paymentDueInBusinessDays: true }));
    expect(due.toISOString()).toBe('2026-03-11T21:00:00.000Z');
  });

  it('skips Republic Day (29 October) inside the window [003 §6.4.1]', () => {
    // Mon 26 Oct 2026: 27, 28 (arife half-day still counts), [29 holiday], 30, 2, 3, 4, 5 Nov
    const due = invoiceDueAt(new Date('2026-10-26T07:00:00Z'), policy({ paymentDueInBusinessDays: true }));
    expect(due.toISOString()).toBe('2026-11-05T21:00:00.000Z');
  });

  it('skips Ramazan Bayramı 2027 (9-11 March) inside the window', () => {
    // Mon 8 Mar 2027: [9, 10, 11 holiday], 12, 15, 16, 17, 18, 19, 22 Mar
    const due = invoiceDueAt(new Date('2027-03-08T07:00:00Z'), policy({ paymentDueInBusinessDays: true }));
    expect(due.toISOString()).toBe('2027-03-22T21:00:00.000Z');
    // the same term on the calendar would have been a week earlier
    expect(invoiceDueAt(new Date('2027-03-08T07:00:00Z'), policy({})).toISOString()).toBe('2027-03-15T07:00:00.000Z');
  });

  it('adds a business-day policy with a non-day duration on the calendar', () => {
    const due = invoiceDueAt(issuedAt, policy({ paymentDueAfter: 'P1M', paymentDueInBusinessDays: true }));
    expect(due.toISOString()).toBe('2026-04-02T07:00:00.000Z');
  });

  it('rejects an invalid issue date', () => {
    expect(() => invoiceDueAt(new Date(Number.NaN), policy({}))).toThrow(RangeError);
  });
});
