import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { handStandingToBilling } from './billing-standing.ts';
import { isEntityId, isLocale } from '@omurga/shared';
import { ORGANIZATION_NOT_FOUND, type AccountsActivities, type BillingContact, type InvoiceBuyer, type OrganizationBillingProfile, type TermsObjectionAccountsActivities, type UserContact, type UserContactActivities, type ChangeActor, type ContactAddress, type ContactMemberRole, type ContactOperatorRole } from '@omurga/shared/contracts';
import { holdResources, releaseResources } from './licensed-resources.ts';
import type { AccountsModels, OrganizationDoc } from './models.ts';
import { LifecycleError, changeOrganization, type OrganizationChange } from './organization-lifecycle.ts';

/**
 * The internal operations billing and consent workflows call (ACC-6, ACC-7,
 * ACC-11), registered on accounts' own task queue. A state that makes the
 * change impossible fails without retries; anything else (the database
 * briefly away) is retried by Temporal.
 */
export function accountsActivities(models: AccountsModels, temporal: Client): AccountsActivities & UserContactActivities & TermsObjectionAccountsActivities {
  const change = async (organizationId: string, what: OrganizationChange, actor: ChangeActor) => {
    try {
      const result = await changeOrganization(models, organizationId, what, actor);
      await handStandingToBilling(temporal, what, result, actor);
      return result.after;
    } catch (error) {
      if (error instanceof LifecycleError) throw ApplicationFailure.nonRetryable(error.message, error.code);
      throw error;
    }
  };
  return {
    suspendOrganization: ({ organizationId, reason, note, actor }) => change(organizationId, { type: 'suspend', reason, note: note ?? null }, actor),
    reinstateOrganization: ({ organizationId, reason, actor }) => change(organizationId, reason ? { type: 'reinstate', reason } : { type: 'reinstate' }, actor),
    terminateOrganization: ({ organizationId, reason, actor }) => change(organizationId, { type: 'terminate', reason }, actor),
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
    operatorContacts: ({ role }) => operatorContacts(models, role),
    organizationContacts: ({ organizationId, roles }) => organizationContacts(models, organizationId, roles),
    userContact: ({ userId }) => userContact(models, userId),
    organizationsRepresentedBy: async ({ userId }) => (await representedOrganizations(models, [userId]))[userId] ?? [],
    representedOrganizations: ({ userIds }) => representedOrganizations(models, userIds),
  };
}

/** The roles that act for the customer in its contract, so a terms objection of theirs speaks for it (CON-4). */
const REPRESENTATIVE_ROLES = ['OWNER', 'ADMIN'] as const;
/** Organisations whose contract still runs; a terminated or erased one has nothing left to cancel. */
const LIVE_STATUSES = ['PENDING_VERIFICATION', 'ACTIVE', 'SUSPENDED'] as const;

/** Each person's live organisations where they are OWNER or ADMIN, sorted; two queries for the whole page. */
async function representedOrganizations(models: AccountsModels, userIds: readonly string[]): Promise<Record<string, string[]>> {
  const represented: Record<string, string[]> = Object.fromEntries(userIds.map((userId) => [userId, []]));
  const valid = userIds.filter(isEntityId);
  if (valid.length === 0) return represented;
  const memberships = await models.Membership.find({ userId: { $in: valid }, role: { $in: REPRESENTATIVE_ROLES } }, { userId: 1, organizationId: 1 }).lean();
  if (memberships.length === 0) return represented;
  const live = await models.Organization.find({ _id: { $in: memberships.map((m) => m.organizationId) }, status: { $in: LIVE_STATUSES } }, { _id: 1 }).lean();
  const liveIds = new Set(live.map((org) => org._id.toString()));
  for (const membership of memberships) {
    const organizationId = membership.organizationId.toString();
    if (liveIds.has(organizationId)) represented[membership.userId.toString()]!.push(organizationId);
  }
  for (const organizationIds of Object.values(represented)) organizationIds.sort();
  return represented;
}

/** CON-4: where consent's terms-change notices to a person go; null for someone unknown or erased. */
async function userContact(models: AccountsModels, userId: string): Promise<UserContact | null> {
  const user = isEntityId(userId) ? await models.User.findOne({ _id: userId, erasedAt: null }, { email: 1, locale: 1 }).lean() : null;
  return user ? { email: user.email, locale: isLocale(user.locale) ? user.locale : 'tr' } : null;
}

/** The roles that receive billing e-mails, in the order their addresses are listed. */
const BILLING_CONTACT_ROLES = ['OWNER', 'BILLING'] as const;

async function billingProfile(models: AccountsModels, organizationId: string): Promise<OrganizationBillingProfile> {
  const org = isEntityId(organizationId)
    ? await models.Organization.findById(organizationId, { name: 1, customerCode: 1, referredByPartnerId: 1, customerType: 1, taxId: 1, taxOffice: 1, nationalId: 1, billingAddress: 1, promoCode: 1, billingContact: 1 }).lean()
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
  // An imported customer's invoice address (issue 16), until and besides its members.
  const extra = org.billingContact;
  if (extra?.email && !contacts.some((c) => c.email === extra.email)) contacts.push({ email: extra.email, locale: isLocale(extra.locale) ? extra.locale : 'tr' });
  return {
    organizationId: org._id.toString(),
    name: org.name,
    customerCode: org.customerCode ?? null,
    referredByPartnerId: org.referredByPartnerId?.toString() ?? null,
    contacts,
    buyer: invoiceBuyer(org),
    promoCode: org.promoCode ?? null,
  };
}

const text = (value: string | null | undefined) => value ?? null;

/** The buyer as VUK art. 230 wants it on the invoice; billing freezes it at issue. */
function invoiceBuyer(org: Pick<OrganizationDoc, 'name' | 'customerType' | 'taxId' | 'taxOffice' | 'nationalId' | 'billingAddress'>): InvoiceBuyer {
  const address = org.billingAddress;
  return {
    customerType: org.customerType,
    legalName: org.name,
    taxId: text(org.taxId),
    taxOffice: text(org.taxOffice),
    nationalId: text(org.nationalId),
    address: address
      ? { line1: text(address.line1), line2: text(address.line2), district: text(address.district), city: text(address.city), postalCode: text(address.postalCode), country: text(address.country) }
      : null,
  };
}

const contactOf = (user: { email: string; locale?: string | null }): ContactAddress => ({
  email: user.email,
  locale: isLocale(user.locale) ? user.locale : 'tr',
});

/** Operators holding `role`, oldest account first; erased ones have no address left to write to. */
async function operatorContacts(models: AccountsModels, role: ContactOperatorRole): Promise<ContactAddress[]> {
  const operators = await models.User.find({ operatorRoles: role, erasedAt: null }, { email: 1, locale: 1 }).sort({ _id: 1 }).lean();
  return operators.map(contactOf);
}

/** Members of the organisation holding one of `roles`, listed in the order of `roles`, each address once. */
async function organizationContacts(models: AccountsModels, organizationId: string, roles: readonly ContactMemberRole[]): Promise<ContactAddress[]> {
  const org = isEntityId(organizationId) ? await models.Organization.findById(organizationId, { _id: 1 }).lean() : null;
  if (!org) throw ApplicationFailure.nonRetryable(`organisation ${organizationId} does not exist`, ORGANIZATION_NOT_FOUND);
  if (!roles.length) return [];
  const memberships = await models.Membership.find({ organizationId: org._id, role: { $in: roles } }, { userId: 1, role: 1 }).sort({ _id: 1 }).lean();
  const users = await models.User.find({ _id: { $in: memberships.map((m) => m.userId) }, erasedAt: null }, { email: 1, locale: 1 }).lean();
  const byId = new Map(users.map((user) => [user._id.toString(), user]));
  const rank = (role: string) => roles.indexOf(role as ContactMemberRole);
  const contacts: ContactAddress[] = [];
  for (const membership of memberships.toSorted((a, b) => rank(a.role) - rank(b.role))) {
    const user = byId.get(membership.userId.toString());
    if (user && !contacts.some((c) => c.email === user.email)) contacts.push(contactOf(user));
  }
  return contacts;
}
