import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { MemberRole, OperatorRole, Principal } from '@omurga/shared';
import type { PersonalDataExportDoc } from '../../src/personal-data/models.ts';
import { mayDownloadExport } from '../../src/personal-data/resolvers.ts';

const ORG = 'org-1';
const user = (userId: string, memberships: [string, MemberRole][] = []): { principal: Principal } => ({
  principal: { kind: 'user', userId, memberships: new Map(memberships) },
});
const operator = (...roles: OperatorRole[]): { principal: Principal } => ({ principal: { kind: 'operator', userId: 'op', roles: new Set(roles) } });
const exportOf = (subjectKind: 'PERSON' | 'ORGANIZATION', subjectId: string, requestedBy: string) =>
  ({ _id: new Types.ObjectId(), subjectKind, subjectId, requestedBy, status: 'READY' }) as unknown as PersonalDataExportDoc;

describe('who may download a data export (CON-5 ACCESS, CON-9)', () => {
  it('a person\'s export: the person and DPO operators only', () => {
    const doc = exportOf('PERSON', 'u-1', 'u-1');
    expect(mayDownloadExport(user('u-1'), doc)).toBe(true);
    expect(mayDownloadExport(operator('DPO'), doc)).toBe(true);
    expect(mayDownloadExport(operator('SUPER_ADMIN'), doc)).toBe(true);
    expect(mayDownloadExport(user('u-2', [[ORG, 'OWNER']]), doc)).toBe(false);
    expect(mayDownloadExport(operator('SUPPORT_AGENT', 'BILLING_ADMIN'), doc)).toBe(false);
  });

  it('an organisation\'s export: its current owners and admins and DPO operators; not other roles, operators or a former admin who asked', () => {
    const doc = exportOf('ORGANIZATION', ORG, 'u-asked');
    expect(mayDownloadExport(user('u-owner', [[ORG, 'OWNER']]), doc)).toBe(true);
    expect(mayDownloadExport(user('u-admin', [[ORG, 'ADMIN']]), doc)).toBe(true);
    expect(mayDownloadExport(operator('DPO'), doc)).toBe(true);
    expect(mayDownloadExport(user('u-billing', [[ORG, 'BILLING']]), doc)).toBe(false);
    expect(mayDownloadExport(user('u-asked'), doc)).toBe(false);
    expect(mayDownloadExport(operator('SUPPORT_AGENT'), doc)).toBe(false);
    expect(mayDownloadExport(operator('BILLING_ADMIN'), doc)).toBe(false);
  });
});
