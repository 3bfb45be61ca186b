import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../src/auth/context.ts';
import { canAccessOrganization, canAccessPerson, requireOperator, requireOrganizationAccess } from '../src/auth/guards.ts';
import type { Principal } from '../src/auth/principal.ts';
import type { MemberRole, OperatorRole } from '../src/roles.ts';

const ctx = (principal: Principal): RequestContext => ({ locale: 'en', principal, ip: undefined, userAgent: undefined });
const member = (orgs: Record<string, MemberRole>) => ctx({ kind: 'user', userId: 'u1', memberships: new Map(Object.entries(orgs)) });
const operator = (...roles: OperatorRole[]) => ctx({ kind: 'operator', userId: 'op1', roles: new Set(roles) });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return 'none';
};

describe('organisation access', () => {
  it('lets members read their own organisation only', () => {
    expect(canAccessOrganization(member({ A: 'READ_ONLY' }), 'A')).toBe(true);
    expect(canAccessOrganization(member({ A: 'OWNER' }), 'B')).toBe(false);
  });

  it('keeps READ_ONLY members from writing', () => {
    expect(canAccessOrganization(member({ A: 'READ_ONLY' }), 'A', { write: true })).toBe(false);
    expect(canAccessOrganization(member({ A: 'AGENT' }), 'A', { write: true })).toBe(true);
    expect(canAccessOrganization(member({ A: 'AGENT' }), 'A', { roles: ['OWNER', 'ADMIN'] })).toBe(false);
  });

  it('lets operators read but not write unless their role is named', () => {
    expect(canAccessOrganization(operator('SUPPORT_AGENT'), 'A')).toBe(true);
    expect(canAccessOrganization(operator('SUPPORT_AGENT'), 'A', { write: true })).toBe(false);
    expect(canAccessOrganization(operator('BILLING_ADMIN'), 'A', { write: true, operatorRoles: ['BILLING_ADMIN'] })).toBe(true);
    expect(canAccessOrganization(operator('SUPER_ADMIN'), 'A', { write: true, operatorRoles: ['DPO'] })).toBe(true);
  });

  it('raises UNAUTHENTICATED for anonymous callers and FORBIDDEN for strangers', () => {
    expect(codeOf(() => requireOrganizationAccess(ctx({ kind: 'anonymous' }), 'A'))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => requireOrganizationAccess(member({ A: 'OWNER' }), 'B'))).toBe('FORBIDDEN');
    expect(codeOf(() => requireOrganizationAccess(member({ A: 'OWNER' }), 'A'))).toBe('none');
  });
});

describe('operator and person access', () => {
  it('requires the named operator role, which SUPER_ADMIN always has', () => {
    expect(codeOf(() => requireOperator(operator('SUPPORT_AGENT'), 'DPO'))).toBe('FORBIDDEN');
    expect(codeOf(() => requireOperator(operator('SUPER_ADMIN'), 'DPO'))).toBe('none');
    expect(codeOf(() => requireOperator(member({ A: 'OWNER' }), 'DPO'))).toBe('FORBIDDEN');
  });

  it("limits a person's records to that person and the named operators", () => {
    expect(canAccessPerson(member({}), 'u1')).toBe(true);
    expect(canAccessPerson(member({}), 'u2')).toBe(false);
    expect(canAccessPerson(operator('SUPPORT_AGENT'), 'u2', ['DPO'])).toBe(false);
    expect(canAccessPerson(operator('DPO'), 'u2', ['DPO'])).toBe(true);
  });
});
