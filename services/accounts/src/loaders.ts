import { entityLoader, groupLoader, isEntityId } from '@omurga/shared';
import type { AccountsModels, MembershipDoc, OrganizationDoc, UserDoc } from './models.ts';

export function accountsLoaders(models: AccountsModels) {
  return {
    user: entityLoader<UserDoc>(models.User),
    organization: entityLoader<OrganizationDoc>(models.Organization),
    membershipsOfUser: groupLoader(
      (userIds) => models.Membership.find({ userId: { $in: userIds.filter(isEntityId) } }).lean<MembershipDoc[]>(),
      (row) => row.userId.toString(),
    ),
  };
}

export type AccountsLoaders = ReturnType<typeof accountsLoaders>;
