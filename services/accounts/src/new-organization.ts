import type { Types } from 'mongoose';
import { newCustomerCode, withUniqueCode } from './customer-codes.ts';
import type { CustomerIdentity } from './inputs.ts';
import type { AccountsModels } from './models.ts';

/**
 * A new customer organisation, pending until its owner's address is verified
 * (ACC-3, ACC-6), with a fresh unique customer code and the first entry of
 * its status history.
 */
export async function createPendingOrganization(
  models: AccountsModels,
  identity: CustomerIdentity,
  opened: { reason: 'SIGNED_UP' | 'OPENED_BY_PARTNER' | 'IMPORTED'; actor: string; referredByPartnerId: Types.ObjectId | null },
  extra: Record<string, unknown> = {},
) {
  const at = new Date();
  return withUniqueCode(newCustomerCode, (customerCode) =>
    models.Organization.create({
      name: identity.companyName,
      customerCode,
      customerType: identity.customerType,
      status: 'PENDING_VERIFICATION',
      statusHistory: [{ from: null, to: 'PENDING_VERIFICATION', reason: opened.reason, actor: opened.actor, at }],
      nationalId: identity.nationalId,
      taxId: identity.taxId,
      taxOffice: identity.taxOffice,
      billingAddress: identity.billingAddress,
      referredByPartnerId: opened.referredByPartnerId,
      ...extra,
    }),
  );
}
