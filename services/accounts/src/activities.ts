import { ApplicationFailure } from '@temporalio/common';
import { isEntityId, isLocale } from '@omurga/shared';
import { ORGANIZATION_NOT_FOUND, type AccountsActivities, type BillingContact, type OrganizationBillingProfile } from '@omurga/workflows';
import { holdResources, releaseResources } from './licensed-resources.ts';
import type { AccountsModels } from './models.ts';
import { LifecycleError, changeOrganization, type OrganizationChange } from './organization-lifecycle.ts';
import { eraseOrganizationPersonalData } from './personal-data.ts';
import type { ChangeActor } from '@omurga/workflows';

/**
 * The internal operations billing and consent workflows call (ACC-6, ACC-7,
 * ACC-11), registered on accounts' own task queue. A state that makes the
 * change impossible fails without retries; anything else (the database
 * briefly away) is retried by Temporal.
 */
export function accountsActivities(models: AccountsModels): AccountsActivities {
  const change = async (organizationId: string, what: OrganizationChange, actor: ChangeActor) => {
    try {
      return (await changeOrganization(models, organizationId, what, actor)).after;
    } catch (error) {
      if (error instanceof LifecycleError) throw ApplicationFailure.nonRetryable(error.message, error.code);
      throw error;
    }
  };
  return {
    suspendOrganization: ({ organizationId, reason, note, actor }) => change(organizationId, { type: 'suspend', reason, note: note ?? null }, actor),
    reinstateOrganization: ({ organizationId, reason, actor }) => change(organizationId, reason ? { type: 'reinstate', reason } : { type: 'reinstate' }, actor),
    terminateOrganization: ({ organizationId, reason, actor }) => change(organizationId, { type: 'terminate', reason }, actor),
    async eraseOrganizationPersonalData({ organizationId, actor }) {
      const state = await change(organizationId, { type: 'erase' }, actor);
      // Erasing again after a crash half-way is harmless, so it always runs.
      const org = await models.Organization.findById(organizationId, { _id: 1 }).lean();
      if (org) await eraseOrganizationPersonalData(models, org._id);
      return state;
    },
    async expireDocumentRequest({ requestId }) {
      await models.DocumentRequest.updateOne({ _id: requestId, status: 'PENDING' }, { $set: { status: 'EXPIRED' } });
    },
    async holdLicensedResources({ organizationId, until }) {
      return { held: await holdResources(models, organizationId, new Date(until)) };
    },
    async releaseLicensedResources({ organizationId }) {
      return { released: await releaseResources(models, organizationId) };
    },
    organizationBillingProfile: ({ organizationId }) => billingProfile(models, organizationId),
  };
}

/** The roles that receive billing e-mails, in the order their addresses are listed. */
const BILLING_CONTACT_ROLES = ['OWNER', 'BILLING'] as const;

async function billingProfile(models: AccountsModels, organizationId: string): Promise<OrganizationBillingProfile> {
  const org = isEntityId(organizationId)
    ? await models.Organization.findById(organizationId, { name: 1, customerCode: 1, referredByPartnerId: 1 }).lean()
    : null;
  if (!org) throw ApplicationFailure.nonRetryable(`organisation ${organizationId} does not exist`, ORGANIZATION_NOT_FOUND);

  const memberships = await models.Membership.find({ organizationId: org._id, role: { $in: BILLING_CONTACT_ROLES } }, { userId: 1, role: 1 })
    .sort({ _id: 1 })
    .lean();
  // Erased people have no address left to write to.
  const users = await models.User.find({ _id: { $in: memberships.map((m) => m.userId) }, erasedAt: null }, { email: 1, locale: 1 }).lean();
  const byId = new Map(users.map((user) => [user._id.toString(), user]));
  const rank = (role: string) => BILLING_CONTACT_ROLES.indexOf(role as (typeof BILLING_CONTACT_ROLES)[number]);

  const contacts: BillingContact[] = [];
  for (const membership of memberships.toSorted((a, b) => rank(a.role) - rank(b.role))) {
    const user = byId.get(membership.userId.toString());
    if (!user || contacts.some((c) => c.email === user.email)) continue;
    contacts.push({ email: user.email, locale: isLocale(user.locale) ? user.locale : 'tr' });
  }
  return {
    organizationId: org._id.toString(),
    name: org.name,
    customerCode: org.customerCode ?? null,
    referredByPartnerId: org.referredByPartnerId?.toString() ?? null,
    contacts,
  };
}
