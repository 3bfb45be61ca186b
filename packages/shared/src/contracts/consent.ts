/**
 * What the consent service offers to other services: the workflows they start
 * by name on TASK_QUEUES.workflows, and the API names they share. Consent's own
 * workflow contracts live in services/consent/src/workflows/contracts.
 */

/**
 * The rights of KVKK art. 11 a request may invoke, by the public API's names
 * (contract.graphql `DataSubjectRequestKind`, binding).
 */
export const DATA_SUBJECT_REQUEST_KINDS = [
  'INFORMATION', // (a) whether personal data is processed, (c) its purpose
  'ACCESS', // (b) information about the processing, with an export of the data
  'RECIPIENTS', // (ç) third parties it is transferred to, at home or abroad
  'RECTIFICATION', // (d) correction, and (f) notifying recipients of it
  'ERASURE', // (e) erasure or destruction (CON-6), and (f) notifying recipients
  'OBJECTION', // (g) objection to a result of automated analysis
  'COMPENSATION', // (ğ) compensation for unlawful processing
] as const;
export type DataSubjectRequestKind = (typeof DATA_SUBJECT_REQUEST_KINDS)[number];

/**
 * CON-5 / SUP-8: a support ticket that turns out to be a KVKK request becomes
 * a data-subject request, keeping its history. The support service starts
 * ticketToDataSubjectRequestWorkflow (ID ticketToDataSubjectRequestWorkflowId,
 * so a ticket is converted once); consent records the request, then support
 * links the ticket to it.
 */
export const ticketToDataSubjectRequestWorkflowId = (ticketId: string) => `ticket-to-dsr/${ticketId}`;

export interface TicketToDataSubjectRequestInput {
  ticketId: string;
  /** the person who opened the ticket, who the request is from */
  userId: string;
  kind: DataSubjectRequestKind;
  /** ISO-8601 instant the ticket was opened: the request arrived then, and its 30 days run from then */
  receivedAt: string;
  /** the customer-visible conversation (no internal notes), within the request details limit */
  details: string | null;
}

/** What ticketToDataSubjectRequestWorkflow returns. */
export interface TicketToDataSubjectRequestOutcome {
  requestId: string;
}

/** The longest request details consent keeps (a converted ticket's transcript is cut to this). */
export const DATA_SUBJECT_REQUEST_DETAILS_MAX = 5000;

/** Raised (non-retryable) when the ticket to link does not exist in the support service. */
export const CONVERTED_TICKET_NOT_FOUND = 'ConvertedTicketNotFound';

// ── CON-2: acceptance records, handed over by accounts ───────────────────────

/** How a person accepted a legal document version (CON-2). */
export const LEGAL_ACCEPTANCE_METHODS = ['CHECKBOX', 'API', 'CONTINUED_USE'] as const;
export type LegalAcceptanceMethod = (typeof LEGAL_ACCEPTANCE_METHODS)[number];

/** Raised (non-retryable) when an accepted version ID is not a stored legal document version. */
export const LEGAL_DOCUMENT_VERSION_UNKNOWN = 'LegalDocumentVersionUnknown';

/** Input of recordLegalAcceptancesWorkflow and of consent's recordLegalAcceptances activity. */
export interface RecordLegalAcceptancesInput {
  userId: string;
  /** the organisation the person signed up with or joined; null when none */
  organizationId: string | null;
  documentVersionIds: string[];
  method: LegalAcceptanceMethod;
  /** ISO-8601: the accepting service's clock when the person accepted */
  acceptedAt: string;
  ip: string | null;
  userAgent: string | null;
  /**
   * Explicit consents the person gave in the same form (CON-3), e.g. the
   * marketing e-mail opt-in at sign-up; recorded in consent's ledger once.
   */
  consents?: SignUpConsent[];
}

/** A consent given together with an acceptance (a checkbox of the same form). */
export interface SignUpConsent {
  channel: 'EMAIL' | 'SMS' | 'PHONE' | 'PUSH';
  purpose: string;
  /** the language the person used, for the receipt's notice link */
  locale: 'tr' | 'en';
}

/** What consent offers on TASK_QUEUES.consent for recordLegalAcceptancesWorkflow. */
export interface LegalAcceptanceActivities {
  /**
   * Appends one acceptance per version (idempotent: a version the person
   * already accepted is left as it was); an unknown version ID fails with
   * LEGAL_DOCUMENT_VERSION_UNKNOWN without retries. Answers how many were new.
   */
  recordLegalAcceptances(input: RecordLegalAcceptancesInput): Promise<{ recorded: number }>;
}

/**
 * `legal-acceptances/<userId>/<versionsKey>`, where versionsKey is the first
 * 16 hex digits of the SHA-256 of the sorted version IDs joined by commas
 * (computed by the starter: workflow code has no crypto).
 */
export const legalAcceptancesWorkflowId = (userId: string, versionsKey: string) => `legal-acceptances/${userId}/${versionsKey}`;
