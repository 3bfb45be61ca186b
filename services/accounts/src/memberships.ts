import type { Types } from 'mongoose';
import { isEntityId, type MemberRole, isDuplicateKeyError } from '@omurga/shared';
import type { AccountsModels } from './models.ts';

/**
 * ACC-5 membership changes. "An owner cannot remove the last owner" is kept
 * with the organisation's ownerCount: taking an owner away is a conditional
 * decrement (only while two or more remain), so two owners demoting each
 * other at once cannot both succeed.
 */
export async function addMember(models: AccountsModels, organizationId: Types.ObjectId, userId: Types.ObjectId, role: MemberRole): Promise<boolean> {
  try {
    await models.Membership.create({ organizationId, userId, role });
  } catch (error) {
    if (isDuplicateKeyError(error)) return false; // already a member: one login per person
    throw error;
  }
  if (role === 'OWNER') await models.Organization.updateOne({ _id: organizationId }, { $inc: { ownerCount: 1 } });
  return true;
}

export type MembershipChangeError = 'NOT_A_MEMBER' | 'LAST_OWNER' | 'NOT_ALLOWED';

/**
 * Sets (or, with null, removes) a member's role. `mayChange` judges the role
 * the member holds at the moment of the change, so a concurrent promotion
 * cannot slip an owner past an admin's limits.
 */
export async function changeRole(
  models: AccountsModels,
  organizationId: string,
  userId: string,
  role: MemberRole | null,
  mayChange: (current: MemberRole) => boolean = () => true,
): Promise<MembershipChangeError | null> {
  if (!isEntityId(userId)) return 'NOT_A_MEMBER';
  const membership = await models.Membership.findOne({ organizationId, userId }).lean();
  if (!membership) return 'NOT_A_MEMBER';
  if (!mayChange(membership.role)) return 'NOT_ALLOWED';
  if (membership.role === role) return null;
  if (membership.role === 'OWNER') {
    const released = await models.Organization.updateOne({ _id: organizationId, ownerCount: { $gte: 2 } }, { $inc: { ownerCount: -1 } });
    if (!released.modifiedCount) return 'LAST_OWNER';
  }
  const changed =
    role === null
      ? await models.Membership.deleteOne({ _id: membership._id, role: membership.role })
      : await models.Membership.updateOne({ _id: membership._id, role: membership.role }, { $set: { role } });
  const applied = 'deletedCount' in changed ? changed.deletedCount : changed.modifiedCount;
  if (!applied) {
    // Someone else changed this membership first: give the owner slot back.
    if (membership.role === 'OWNER') await models.Organization.updateOne({ _id: organizationId }, { $inc: { ownerCount: 1 } });
    return changeRole(models, organizationId, userId, role, mayChange);
  }
  if (role === 'OWNER') await models.Organization.updateOne({ _id: organizationId }, { $inc: { ownerCount: 1 } });
  return null;
}
