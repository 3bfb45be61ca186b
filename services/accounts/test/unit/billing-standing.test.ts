import { describe, expect, it } from 'vitest';
import type { OrganizationState } from '@omurga/shared/contracts';
import { standingOf } from '../../src/billing-standing.ts';

const after = (status: OrganizationState['status'], suspensionReasons: OrganizationState['suspensionReasons'] = []) => ({
  after: { organizationId: 'org-1', status, suspensionReasons },
});

describe('what billing follows of an organisation change (issue 12, ACC-6 → BIL-6)', () => {
  it('an operator termination terminates the subscriptions', () => {
    expect(standingOf({ type: 'terminate', reason: 'abuse [002 §12]' }, after('TERMINATED'))).toBe('TERMINATED');
  });

  it('a suspension outside billing suspends them; billing\'s own (non-payment, chargeback) is not echoed back', () => {
    expect(standingOf({ type: 'suspend', reason: 'ABUSE' }, after('SUSPENDED', ['ABUSE']))).toBe('SUSPENDED');
    expect(standingOf({ type: 'suspend', reason: 'MISSING_DOCUMENTS' }, after('SUSPENDED', ['MISSING_DOCUMENTS']))).toBe('SUSPENDED');
    expect(standingOf({ type: 'suspend', reason: 'NON_PAYMENT' }, after('SUSPENDED', ['NON_PAYMENT']))).toBeNull();
    expect(standingOf({ type: 'suspend', reason: 'CHARGEBACK' }, after('SUSPENDED', ['CHARGEBACK']))).toBeNull();
    // A terminated organisation cannot be suspended: nothing changed, nothing to hand over.
    expect(standingOf({ type: 'suspend', reason: 'ABUSE' }, after('TERMINATED'))).toBeNull();
  });

  it('lifting a suspension billing did not make restores, even while billing\'s own still stands (the lifecycle keeps that one)', () => {
    expect(standingOf({ type: 'reinstate', reason: 'ABUSE' }, after('ACTIVE'))).toBe('REINSTATED');
    expect(standingOf({ type: 'reinstate' }, after('ACTIVE'))).toBe('REINSTATED');
    expect(standingOf({ type: 'reinstate', reason: 'ABUSE' }, after('SUSPENDED', ['NON_PAYMENT']))).toBe('REINSTATED');
    // Not lifted (still listed), billing's own, or a terminated organisation: nothing to follow.
    expect(standingOf({ type: 'reinstate', reason: 'ABUSE' }, after('SUSPENDED', ['ABUSE']))).toBeNull();
    expect(standingOf({ type: 'reinstate', reason: 'NON_PAYMENT' }, after('ACTIVE'))).toBeNull();
    expect(standingOf({ type: 'reinstate' }, after('SUSPENDED', ['NON_PAYMENT']))).toBeNull();
    expect(standingOf({ type: 'reinstate', reason: 'ABUSE' }, after('TERMINATED'))).toBeNull();
  });

  it('activation and erasure are not billing\'s concern', () => {
    expect(standingOf({ type: 'activate' }, after('ACTIVE'))).toBeNull();
    expect(standingOf({ type: 'erase' }, after('ERASED'))).toBeNull();
  });
});
