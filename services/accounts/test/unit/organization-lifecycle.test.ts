import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { accountsModels } from '../../src/models.ts';
import { LifecycleError, applyChange } from '../../src/organization-lifecycle.ts';

// Models on a connection that never opens: documents are built and changed in memory.
const { Organization } = accountsModels(mongoose.createConnection());
const operator = { kind: 'operator' as const, id: 'op-1' };
const newOrg = (status = 'ACTIVE') => new Organization({ name: 'X', customerCode: 'MUS-2222-2222', customerType: 'INDIVIDUAL', status });

describe('ACC-6 account states', () => {
  it('records every transition with reason, actor and time', () => {
    const org = newOrg('PENDING_VERIFICATION');
    const at = new Date('2026-11-21T10:00:00Z');
    expect(applyChange(org, { type: 'activate' }, { kind: 'user', id: 'u1' }, at)).toBe(true);
    expect(org.status).toBe('ACTIVE');
    expect(org.statusHistory.at(-1)).toMatchObject({ from: 'PENDING_VERIFICATION', to: 'ACTIVE', reason: 'EMAIL_VERIFIED', actor: 'user:u1', at });
  });

  it('keeps several suspensions and stays suspended until the last is lifted', () => {
    const org = newOrg();
    applyChange(org, { type: 'suspend', reason: 'NON_PAYMENT' }, { kind: 'workflow', id: 'subscription/1' });
    applyChange(org, { type: 'suspend', reason: 'MISSING_DOCUMENTS' }, { kind: 'workflow', id: 'document-request/1' });
    expect(org.suspensionReason).toBe('NON_PAYMENT');
    expect(applyChange(org, { type: 'reinstate', reason: 'NON_PAYMENT' }, operator)).toBe(true);
    expect(org.status).toBe('SUSPENDED');
    expect(org.suspensionReason).toBe('MISSING_DOCUMENTS');
    applyChange(org, { type: 'reinstate', reason: 'MISSING_DOCUMENTS' }, operator);
    expect(org.status).toBe('ACTIVE');
    expect(org.statusHistory.map((h) => h.to)).toEqual(['SUSPENDED', 'ACTIVE']);
  });

  it('is idempotent: the same suspension, reinstatement or termination twice changes nothing', () => {
    const org = newOrg();
    expect(applyChange(org, { type: 'suspend', reason: 'ABUSE' }, operator)).toBe(true);
    expect(applyChange(org, { type: 'suspend', reason: 'ABUSE' }, operator)).toBe(false);
    expect(applyChange(org, { type: 'reinstate' }, operator)).toBe(true);
    expect(applyChange(org, { type: 'reinstate' }, operator)).toBe(false);
    expect(applyChange(org, { type: 'terminate', reason: 'closed' }, operator)).toBe(true);
    expect(applyChange(org, { type: 'terminate', reason: 'closed' }, operator)).toBe(false);
    expect(org.statusHistory).toHaveLength(3);
  });

  it('erases only a terminated organisation, and never reinstates a closed one', () => {
    const org = newOrg();
    expect(() => applyChange(org, { type: 'erase' }, operator)).toThrow(LifecycleError);
    applyChange(org, { type: 'terminate', reason: 'non-payment' }, operator);
    expect(() => applyChange(org, { type: 'reinstate' }, operator)).toThrow(LifecycleError);
    expect(applyChange(org, { type: 'erase' }, operator)).toBe(true);
    expect(org.status).toBe('ERASED');
    expect(applyChange(org, { type: 'suspend', reason: 'ABUSE' }, operator)).toBe(false);
  });

  it('returns an unverified account to pending, and one verified while suspended to active', () => {
    const unverified = newOrg('PENDING_VERIFICATION');
    applyChange(unverified, { type: 'suspend', reason: 'ABUSE' }, operator);
    applyChange(unverified, { type: 'reinstate' }, operator);
    expect(unverified.status).toBe('PENDING_VERIFICATION');

    const verifiedLater = newOrg('PENDING_VERIFICATION');
    applyChange(verifiedLater, { type: 'suspend', reason: 'ABUSE' }, operator);
    expect(applyChange(verifiedLater, { type: 'activate' }, { kind: 'user', id: 'u1' })).toBe(true);
    expect(verifiedLater.status).toBe('SUSPENDED');
    applyChange(verifiedLater, { type: 'reinstate' }, operator);
    expect(verifiedLater.status).toBe('ACTIVE');
  });
});
