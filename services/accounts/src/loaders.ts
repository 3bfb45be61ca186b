import DataLoader from 'dataloader';
import { groupedByKey, inKeyOrder, isEntityId } from '@omurga/shared';
import type { AccountsModels, MembershipDoc, OrganizationDoc, UserDoc } from './models.ts';

function byIds<T extends { _id: { toString(): string } }>(find: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (keys) => {
    const ids = keys.filter(isEntityId);
    const rows = ids.length ? await find(ids) : [];
    return inKeyOrder(keys, rows, (row) => row._id.toString());
  });
}

export function accountsLoaders(models: AccountsModels) {
  return {
    user: byIds<UserDoc>((ids) => models.User.find({ _id: { $in: ids } }).lean<UserDoc[]>()),
    organization: byIds<OrganizationDoc>((ids) => models.Organization.find({ _id: { $in: ids } }).lean<OrganizationDoc[]>()),
    membershipsOfUser: new DataLoader<string, MembershipDoc[]>(async (userIds) => {
      const ids = userIds.filter(isEntityId);
      const rows = ids.length ? await models.Membership.find({ userId: { $in: ids } }).lean<MembershipDoc[]>() : [];
      return groupedByKey(userIds, rows, (row) => row.userId.toString());
    }),
  };
}

export type AccountsLoaders = ReturnType<typeof accountsLoaders>;
