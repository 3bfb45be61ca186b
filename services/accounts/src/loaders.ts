import type { Model } from 'mongoose';
import { entityLoader, groupLoader, isEntityId } from '@omurga/shared';
import type { AccountsModels, ActionTokenDoc, ApiKeyDoc, DocumentRequestDoc, LicensedResourceDoc, MembershipDoc, OrganizationDoc, UserDoc } from './models.ts';

/** One query per request for a one-to-many field keyed by organisation. */
function byOrganization<T extends { organizationId?: { toString(): string } | null }>(model: Model<any>, extra: Record<string, unknown> = {}) {
  return groupLoader(
    (ids) => model.find({ organizationId: { $in: ids.filter(isEntityId) }, ...extra }).sort({ _id: 1 }).lean<T[]>(),
    (row) => row.organizationId?.toString() ?? '',
  );
}

export function accountsLoaders(models: AccountsModels) {
  return {
    user: entityLoader<UserDoc>(models.User),
    organization: entityLoader<OrganizationDoc>(models.Organization),
    membershipsOfUser: groupLoader(
      (userIds) => models.Membership.find({ userId: { $in: userIds.filter(isEntityId) } }).lean<MembershipDoc[]>(),
      (row) => row.userId.toString(),
    ),
    membersOfOrganization: byOrganization<MembershipDoc>(models.Membership),
    invitationsOfOrganization: byOrganization<ActionTokenDoc>(models.ActionToken, { purpose: 'INVITATION', usedAt: null, expiresAt: { $gt: new Date() } }),
    apiKeysOfOrganization: byOrganization<ApiKeyDoc>(models.ApiKey),
    documentRequestsOfOrganization: byOrganization<DocumentRequestDoc>(models.DocumentRequest),
    licensedResourcesOfOrganization: byOrganization<LicensedResourceDoc>(models.LicensedResource),
  };
}

export type AccountsLoaders = ReturnType<typeof accountsLoaders>;
