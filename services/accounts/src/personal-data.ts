import type { Types } from 'mongoose';
import type { AccountsModels } from './models.ts';
import { revokeAllSessions } from './sessions.ts';

/**
 * KVKK erasure of a terminated organisation (ACC-6 ERASED). Removes what
 * identifies people: the TCKN, address, phone, and every member whose only
 * organisation this was (their login goes too). Kept: the customer code,
 * type and a company's VKN, which identify a legal person, not a natural
 * one, and which the invoices billing must keep for 10 years refer to.
 * Idempotent.
 */
export async function eraseOrganizationPersonalData(models: AccountsModels, organizationId: Types.ObjectId): Promise<void> {
  const org = await models.Organization.findById(organizationId).lean();
  if (!org) return;
  const personal = org.customerType !== 'CORPORATE';
  await models.Organization.updateOne(
    { _id: organizationId },
    {
      $set: {
        nationalId: null,
        billingAddress: null,
        authorityDeclaredBy: null,
        ...(personal ? { name: `Silinmiş müşteri ${org.customerCode}` } : {}),
      },
    },
  );
  const members = await models.Membership.find({ organizationId }).lean();
  for (const member of members) {
    const elsewhere = await models.Membership.exists({ userId: member.userId, organizationId: { $ne: organizationId } });
    if (!elsewhere) await eraseUser(models, member.userId);
  }
  await models.Membership.deleteMany({ organizationId });
  await Promise.all([
    models.ActionToken.deleteMany({ organizationId }),
    models.ApiKey.updateMany({ organizationId, revokedAt: null }, { $set: { revokedAt: new Date() } }),
    models.DocumentFile.deleteMany({ organizationId }),
  ]);
}

async function eraseUser(models: AccountsModels, userId: Types.ObjectId): Promise<void> {
  await models.User.updateOne(
    { _id: userId },
    {
      $set: {
        email: `erased-${userId.toString()}@erased.invalid`,
        passwordHash: null,
        firstName: '-',
        lastName: '-',
        phone: null,
        signUpIp: null,
        erasedAt: new Date(),
      },
    },
  );
  await Promise.all([
    revokeAllSessions(models, userId, 'ERASED'),
    models.ActionToken.deleteMany({ userId }),
  ]);
}
