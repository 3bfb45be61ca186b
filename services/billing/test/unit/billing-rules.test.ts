import { describe, expect, it } from 'vitest';
import { cancellationEndsCurrentPeriod, collectionChannel, contractPolicy, dunningDeadlines, type PolicyTerms } from '../../src/lifecycle/index.ts';
import { POLICY_PRESETS } from '../../src/presets.ts';

const DAY = 86_400_000;
const terms = (code: string): PolicyTerms => ({ ...contractPolicy.parse(POLICY_PRESETS.find((p) => p.code === code)!), id: code, version: 1 });
const periodEnd = Date.parse('2027-01-31T21:00:00Z');

describe('BIL-7 cancellation notice', () => {
  it('[000 §4.8] PT0S: a request up to the last moment of the period ends it, a later one the next', () => {
    expect(cancellationEndsCurrentPeriod(periodEnd - 1, periodEnd, 'PT0S')).toBe(true);
    expect(cancellationEndsCurrentPeriod(periodEnd, periodEnd, 'PT0S')).toBe(true);
    expect(cancellationEndsCurrentPeriod(periodEnd + 1, periodEnd, 'PT0S')).toBe(false);
  });

  it('[003 §6.4.2] P30D: 30 days before the end still counts, 29 days does not', () => {
    expect(cancellationEndsCurrentPeriod(periodEnd - 30 * DAY, periodEnd, 'P30D')).toBe(true);
    expect(cancellationEndsCurrentPeriod(periodEnd - 29 * DAY, periodEnd, 'P30D')).toBe(false);
  });
});

describe('BIL-5 collection channel', () => {
  it('charges the card for CARD_AUTO, waits for a transfer for BANK_TRANSFER, and ADVANCE uses the card only when one is on file', () => {
    expect(collectionChannel('CARD_AUTO', false, false)).toBe('CARD');
    expect(collectionChannel('BANK_TRANSFER', true, false)).toBe('TRANSFER');
    expect(collectionChannel('ADVANCE', true, false)).toBe('CARD');
    expect(collectionChannel('ADVANCE', false, false)).toBe('TRANSFER');
  });
});

describe('BIL-6 dunning deadlines', () => {
  const firstFailure = Date.parse('2027-03-01T09:00:00Z');

  it('nothing is due while nothing is overdue', () => {
    expect(dunningDeadlines(terms('ecommerce-license-30d'), { channel: 'CARD', overdueSince: null, scheduledAttempts: 0, lastFailureAt: null })).toEqual({
      suspendAt: null,
      terminationNoticeAt: null,
      terminateAt: null,
    });
  });

  it('[000 §4.7] without suspendAfter, suspension comes with the last failed attempt, not before', () => {
    const policy = terms('ecommerce-license-30d');
    const clock = { channel: 'CARD' as const, overdueSince: firstFailure, scheduledAttempts: 2, lastFailureAt: firstFailure + 2 * DAY };
    expect(dunningDeadlines(policy, clock).suspendAt).toBeNull();
    const exhausted = dunningDeadlines(policy, { ...clock, scheduledAttempts: 3, lastFailureAt: firstFailure + 4 * DAY });
    expect(exhausted.suspendAt).toBe(firstFailure + 4 * DAY);
    expect(exhausted.terminateAt).toBe(firstFailure + 14 * DAY);
    expect(exhausted.terminationNoticeAt).toBe(firstFailure + 7 * DAY);
  });

  it('[002 §9] a transfer due at day 7 is suspended at once and terminated 7 days later', () => {
    const due = Date.parse('2027-03-08T09:00:00Z');
    const deadlines = dunningDeadlines(terms('callcenter-rental'), { channel: 'TRANSFER', overdueSince: due, scheduledAttempts: 0, lastFailureAt: null });
    expect(deadlines.suspendAt).toBe(due);
    expect(deadlines.terminateAt).toBe(due + 7 * DAY);
  });

  it('a policy without terminateAfter never terminates on its own', () => {
    const deadlines = dunningDeadlines(terms('software-license-annual-support'), { channel: 'TRANSFER', overdueSince: firstFailure, scheduledAttempts: 0, lastFailureAt: null });
    expect(deadlines.terminateAt).toBeNull();
    expect(deadlines.terminationNoticeAt).toBeNull();
  });
});
