/**
 * What the billing service offers to other services' workflows, on
 * TASK_QUEUES.billing. Billing's own workflow contracts live in
 * services/billing/src/workflows.
 */

// ── CON-4: billing's part in a terms objection ────────────────────────────────

export interface TermsObjectionBillingActivities {
  /** Lets the organisations cancel without notice until `until` (ISO-8601); idempotent per (organisation, version). */
  grantNoticeFreeCancellation(input: { organizationIds: string[]; documentVersionId: string; until: string }): Promise<void>;
  /**
   * Each organisation's terms-change notice (ISO-8601 duration): the longest
   * `termsChangeNotice` among the policies of its live subscriptions
   * [000 §6.7 90 days, 001 §2.3 24 hours]. Organisations without a live
   * subscription are left out: the publication's own notice applies to them.
   */
  termsChangeNotices(input: { organizationIds: string[] }): Promise<Record<string, string>>;
}

// ── issue 12: an organisation's standing reaches its subscriptions ─────────────

/** A change of an organisation's standing that every live subscription of it follows at once. */
export const ORGANIZATION_STANDINGS = ['SUSPENDED', 'REINSTATED', 'TERMINATED'] as const;
export type OrganizationStanding = (typeof ORGANIZATION_STANDINGS)[number];

export interface OrganizationStandingChange {
  organizationId: string;
  standing: OrganizationStanding;
  /** why, as accounts recorded it (e.g. ABUSE, TERMS_VIOLATION) */
  reason: string;
  /** ISO-8601: when accounts applied the change */
  at: string;
  /** who: `operator:<id>` or a workflow ID */
  actor: string;
}

/**
 * billing's workflow that hands a standing change to the organisation's live
 * subscriptions (each records it and signals its lifecycle). accounts starts
 * it by this name after an operator suspends, reinstates or terminates an
 * organisation, with ID organizationStandingWorkflowId(organizationId, changeKey),
 * where changeKey names the saved change (the organisation's document version),
 * so a change is handed over once.
 */
export const ORGANIZATION_STANDING_WORKFLOW = 'organizationStandingWorkflow';
export const organizationStandingWorkflowId = (organizationId: string, changeKey: string) => `organization-standing/${organizationId}/${changeKey}`;

/** What billing serves on TASK_QUEUES.billing for organizationStandingWorkflow. */
export interface OrganizationStandingBillingActivities {
  /**
   * Records the change on every live subscription of the organisation and
   * signals each one's lifecycle (a subscription whose workflow has ended is
   * skipped). Idempotent. Answers how many subscriptions it reached.
   */
  applyOrganizationStanding(input: OrganizationStandingChange): Promise<{ subscriptions: number }>;
}

// ── issue 16: the subscriptions of a bulk customer import ─────────────────────

/** One subscription a customer import asks for, for an organisation accounts has just created (or found again). */
export interface ImportedSubscriptionRequest {
  organizationId: string;
  planCode: string;
  currency: string;
  /** a provider token stored as the organisation's payment method, when given */
  paymentMethodToken?: string | null;
  /** `operator:<id>` or `partner:<organisationId>` */
  startedBy: string;
  /**
   * ISO-8601: the customer's first renewal here (the end of what it already
   * paid elsewhere). The time until then runs as the policy's trial, begun
   * that long before, so nothing is invoiced earlier; absent: it starts now.
   */
  renewsAt?: string | null;
}

/** The subscription of a row (found again when the same organisation was imported with the same plan before), or why not. */
export type ImportedSubscriptionResult =
  | { organizationId: string; subscriptionId: string; status: string; created: boolean }
  | { organizationId: string; code: string; field: 'planCode' | 'currency' | 'paymentMethodToken' | 'renewsAt'; message: string };

/**
 * billing's workflow that opens the subscriptions of an import; accounts
 * starts it by this name after creating the organisations and waits for its
 * answer. Idempotent: a subscription's ID is derived from its organisation
 * and plan, so running it again opens nothing new.
 */
export const SUBSCRIPTION_IMPORT_WORKFLOW = 'subscriptionImportWorkflow';

/** What billing serves on TASK_QUEUES.billing for subscriptionImportWorkflow. */
export interface SubscriptionImportBillingActivities {
  /** `locale`: the language of the refusals' messages */
  openImportedSubscriptions(input: { rows: ImportedSubscriptionRequest[]; locale: 'tr' | 'en' }): Promise<ImportedSubscriptionResult[]>;
}
