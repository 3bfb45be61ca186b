import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { ORGANIZATION_NOT_FOUND, type ContactAddress, type ContactMemberRole } from '@omurga/shared/contracts';
import { accountsActivities } from '@omurga/shared/workflow';

/**
 * The DPO operators to alert (CON-5, CON-8), fetched from accounts at the
 * moment of the alert so a DPO appointed meanwhile is included. Without a
 * DPO the SUPER_ADMINs are alerted; without either the list is empty and the
 * consent service falls back to its configured CONSENT_DPO_EMAIL.
 */
export async function dpoRecipients(): Promise<ContactAddress[]> {
  const dpos = await accountsActivities.operatorContacts({ role: 'DPO' });
  return dpos.length ? dpos : accountsActivities.operatorContacts({ role: 'SUPER_ADMIN' });
}

/** The member roles a customer's data-protection mail goes to [003 Ek-1 §5.3]. */
export const CUSTOMER_PRIVACY_CONTACT_ROLES: ContactMemberRole[] = ['OWNER', 'ADMIN'];

/** The customer's owners and admins; none when the organisation does not exist (any more). */
export async function customerPrivacyContacts(organizationId: string): Promise<ContactAddress[]> {
  try {
    return await accountsActivities.organizationContacts({ organizationId, roles: CUSTOMER_PRIVACY_CONTACT_ROLES });
  } catch (error) {
    if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === ORGANIZATION_NOT_FOUND) return [];
    throw error;
  }
}
