import type { WebhookEvent } from './webhooks.ts';

/**
 * What the accounts service offers to workflows: activities it registers on
 * its own task queue (TASK_QUEUES.accounts). Workflows call these through
 * `proxyActivities<AccountsActivities>({ taskQueue: TASK_QUEUES.accounts })`;
 * the accounts service implements them against its own database. Every
 * activity is idempotent: running it twice leaves the same state as once.
 */

export const SUSPENSION_REASONS = ['NON_PAYMENT', 'MISSING_DOCUMENTS', 'ABUSE', 'CHARGEBACK', 'TERMS_VIOLATION'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

export type AccountStatus = 'PENDING_VERIFICATION' | 'ACTIVE' | 'SUSPENDED' | 'TERMINATED' | 'ERASED';

/** Who asked for a change: a workflow (its workflow ID), an operator or a customer's user (their user ID). */
export interface ChangeActor {
  kind: 'workflow' | 'operator' | 'user';
  id: string;
}

export interface OrganizationState {
  organizationId: string;
  status: AccountStatus;
  /** every suspension currently in force; the organisation is SUSPENDED while this is non-empty */
  suspensionReasons: SuspensionReason[];
}

/** Raised (non-retryable) when a change is not allowed from the current state, e.g. erasing an active organisation. */
export const INVALID_TRANSITION = 'InvalidTransition';
/** Raised (non-retryable) when the organisation does not exist. */
export const ORGANIZATION_NOT_FOUND = 'OrganizationNotFound';

export interface AccountsActivities {
  /** Adds a suspension for `reason` (a no-op when already suspended for it). */
  suspendOrganization(input: { organizationId: string; reason: SuspensionReason; note?: string; actor: ChangeActor }): Promise<OrganizationState>;
  /** Lifts the suspension for `reason`, or every suspension when `reason` is omitted. */
  reinstateOrganization(input: { organizationId: string; reason?: SuspensionReason; actor: ChangeActor }): Promise<OrganizationState>;
  /** Closes the account for good (a no-op when already terminated or erased). */
  terminateOrganization(input: { organizationId: string; reason: string; actor: ChangeActor }): Promise<OrganizationState>;
  /** Marks a document request as missed (ACC-7). */
  expireDocumentRequest(input: { requestId: string }): Promise<void>;
  /** Puts the organisation's licensed resources on hold until `until` (ISO-8601), ACC-11. */
  holdLicensedResources(input: { organizationId: string; until: string }): Promise<{ held: number }>;
  /** Releases the organisation's held resources, so others may claim them again (ACC-11). */
  releaseLicensedResources(input: { organizationId: string }): Promise<{ released: number }>;
  /** Who the organisation is for billing: name, customer code, referring partner, and its owners' and BILLING members' addresses. */
  organizationBillingProfile(input: { organizationId: string }): Promise<OrganizationBillingProfile>;
  /** The addresses of the platform's operators holding `role` (SUPER_ADMINs only when asked for), oldest account first. */
  operatorContacts(input: { role: ContactOperatorRole }): Promise<ContactAddress[]>;
  /** The addresses of the organisation's members holding one of `roles`, in the order of `roles`; ORGANIZATION_NOT_FOUND when it does not exist. */
  organizationContacts(input: { organizationId: string; roles: ContactMemberRole[] }): Promise<ContactAddress[]>;
}

/** Where to e-mail a person, and in which language. Erased people are never listed. */
export interface ContactAddress {
  email: string;
  locale: 'tr' | 'en';
}
export type ContactOperatorRole = 'SUPPORT_AGENT' | 'BILLING_ADMIN' | 'DPO' | 'SUPER_ADMIN';
export type ContactMemberRole = 'OWNER' | 'ADMIN' | 'BILLING' | 'AGENT' | 'READ_ONLY';

/** Where to write to a person, in their language (CON-4 terms-change notices). */
export type UserContact = ContactAddress;

/**
 * Also registered by accounts on TASK_QUEUES.accounts (kept apart from
 * AccountsActivities so fakes of the organisation activities need not change).
 */
export interface UserContactActivities {
  /** The person's e-mail address and locale; null when the person is unknown or erased. */
  userContact(input: { userId: string }): Promise<UserContact | null>;
}

/**
 * Also registered by accounts on TASK_QUEUES.accounts (issue 16): what a
 * subscription workflow's new run needs from accounts, in one round trip
 * instead of two. Kept apart from AccountsActivities like UserContactActivities.
 */
export interface SubscriptionRunActivities {
  /** Hands over the webhook events the previous run left (as publishWebhookEvents does) and answers organizationBillingProfile. */
  openSubscriptionRun(input: { organizationId: string; webhookEvents: WebhookEvent[] }): Promise<OrganizationBillingProfile>;
}

export const documentRequestWorkflowId = (requestId: string) => `document-request/${requestId}`;
export const licensedResourceHoldWorkflowId = (organizationId: string) => `licensed-resources/${organizationId}`;

/** Input of documentDeadlineWorkflow (ACC-7). */
export interface DocumentDeadlineInput {
  requestId: string;
  organizationId: string;
  /** ISO-8601 instant: the end of the third Turkish business day after the request */
  deadline: string;
}

/** Input of licensedResourceHoldWorkflow (ACC-11). */
export interface LicensedResourceHoldInput {
  organizationId: string;
  /** ISO-8601 instant until which the resources stay reserved for the organisation */
  holdUntil: string;
}

export const DOCUMENT_SIGNALS = {
  submitted: 'documentsSubmitted',
  withdrawn: 'documentRequestWithdrawn',
} as const;

// ── what billing workflows read about a customer ──────────────────────────────

export interface BillingContact {
  email: string;
  locale: 'tr' | 'en';
}

/** Everything a billing workflow needs to know about the customer, from accounts. */
export interface OrganizationBillingProfile {
  organizationId: string;
  name: string;
  customerCode: string | null;
  referredByPartnerId: string | null;
  /** owners and BILLING members, in their own language */
  contacts: BillingContact[];
  /** the buyer's legal identity printed on invoices (VUK art. 230); absent for organisations that never gave it */
  buyer?: InvoiceBuyer | null;
  /** the promo code given at sign-up, which billing applies to the organisation's subscription (issue 15) */
  promoCode?: string | null;
}

/** Who the buyer is in law: a company with its VKN and tax office, or a person with their TCKN. */
export interface InvoiceBuyer {
  /** CORPORATE, SOLE_PROPRIETOR or INDIVIDUAL, as at sign-up */
  customerType: string;
  legalName: string;
  /** VKN (10 digits), companies */
  taxId: string | null;
  taxOffice: string | null;
  /** TCKN (11 digits), individuals and sole proprietors */
  nationalId: string | null;
  address: BuyerAddress | null;
}

export interface BuyerAddress {
  line1: string | null;
  line2: string | null;
  district: string | null;
  city: string | null;
  postalCode: string | null;
  country: string | null;
}

// ── CON-4: accounts' part in a terms objection ───────────────────────────────

/**
 * The other services' part in a cost-free cancellation [000 §6.7]: the
 * organisations the objector represents may cancel their subscriptions
 * without the policy's cancellation notice until the version binds.
 */
export interface TermsObjectionAccountsActivities {
  /** IDs of the live organisations where the person is OWNER or ADMIN (those who act for the customer). */
  organizationsRepresentedBy(input: { userId: string }): Promise<string[]>;
  /** The same for a page of people at once: each user ID to the organisations they represent (every ID is a key). */
  representedOrganizations(input: { userIds: string[] }): Promise<Record<string, string[]>>;
}

/** accounts' workflow that releases an organisation's licensed resources after their hold (ACC-11); others start it by this name. */
export const LICENSED_RESOURCE_HOLD_WORKFLOW = 'licensedResourceHoldWorkflow';
