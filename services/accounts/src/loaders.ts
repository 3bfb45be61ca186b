import { entityLoader, groupLoader, isEntityId } from '@omurga/shared';
import type { AccountsModels, MembershipDoc, OrganizationDoc, UserDoc } from './models.ts';

export function accountsLoaders(models: AccountsModels) {
  return {
    user: entityLoader((ids) => models.User.find({ _id: { $in: ids } }).lean<UserDoc[]>()),
    organization: entityLoader((ids) => models.Organization.find({ _id: { $in: ids } }).lean<OrganizationDoc[]>()),
    membershipsOfUser: groupLoader(
      (userIds) => models.Membership.find({ userId: { $in: userIds.filter(isEntityId) } }).lean<MembershipDoc[]>(),
      (row) => row.userId.toString(),
    ),
  };
}

export type AccountsLoaders = ReturnType<typeof accountsLoaders>;
