/**
 * Terms-change rollout (CON-4): what the consent service offers to
 * termsRolloutWorkflow on TASK_QUEUES.consent, and what the workflow accepts.
 * Publishing a new version of a binding document e-mails every affected
 * customer, and the version becomes binding after the policy's notice period:
 * 90 days by e-mail [000 §6.7], 24 hours [001 §2.3], or at once on
 * publication [003 §7.16]. A customer who objects before then may cancel at
 * no cost; everyone else accepts by continued use when the notice runs out.
 * Every activity is idempotent, keyed by (documentVersionId, recipientId).
 */

/** Raised (non-retryable) when the document version does not exist. */
export const TERMS_DOCUMENT_NOT_FOUND = 'TermsDocumentNotFound';

/** How a recipient accepted a version: the rollout records only continued use. */
export type TermsAcceptanceMethod = 'CONTINUED_USE';

/** One page of affected customers (organisation or user IDs, as the document's audience is). */
export interface AffectedCustomersPage {
  ids: string[];
  /** pass back to get the next page; null after the last page */
  nextCursor: string | null;
}

export interface TermsRolloutActivities {
  /**
   * The customers bound by the document's previous version, a page at a time
   * (at most `limit` IDs). The set is a snapshot taken at publication and the
   * order is stable, so the workflow can page through it twice: once to
   * notify, and again at bindingAt to record acceptances.
   */
  listAffectedCustomers(input: { documentVersionId: string; cursor: string | null; limit: number }): Promise<AffectedCustomersPage>;
  /** E-mails the recipient the new version and when it becomes binding (a no-op when already sent). */
  notifyTermsChange(input: { documentVersionId: string; recipientId: string; bindingAt: string }): Promise<void>;
  /** Offers an objecting recipient cancellation at no cost [000 §6.7] (a no-op when already offered). */
  offerCostFreeCancellation(input: { documentVersionId: string; recipientId: string; objectedAt: string }): Promise<void>;
  /** Makes the version the binding one from `at` (ISO-8601). */
  makeBinding(input: { documentVersionId: string; at: string }): Promise<void>;
  /** Records that a recipient who did not object accepted the version by continuing to use the service. */
  recordContinuedUseAcceptance(input: { documentVersionId: string; recipientId: string; at: string; method: TermsAcceptanceMethod }): Promise<void>;
}

export const termsRolloutWorkflowId = (documentVersionId: string) => `terms-rollout/${documentVersionId}`;

/** Input of termsRolloutWorkflow (CON-4). */
export interface TermsRolloutInput {
  documentVersionId: string;
  /** the document's kind (LegalDocumentKind, e.g. USER_AGREEMENT) */
  kind: string;
  version: number;
  /** ISO-8601 instant the version was published */
  publishedAt: string;
  /** ISO-8601 duration from publication until the version binds: P90D, PT24H, PT0S */
  notice: string;
  /** pages (of TERMS_ROLLOUT_PAGE_SIZE) one run handles before it continues as new; tests lower it */
  pagesPerRun?: number;
  /** set by the workflow itself when it continues as new */
  carried?: TermsRolloutCarried;
}

/** Where a rollout that continued as new had got to. */
export interface TermsRolloutCarried {
  phase: 'NOTIFYING' | 'WAITING' | 'ACCEPTING';
  /** the next page of listAffectedCustomers to handle in this phase */
  cursor: string | null;
  notified: number;
  accepted: number;
  /** every objection so far; each has already been offered a cost-free cancellation */
  objections: TermsObjection[];
}

export interface TermsObjection {
  recipientId: string;
  /** ISO-8601 instant the recipient objected */
  at: string;
}

/** Signal payload: a recipient rejected the new version before it became binding. */
export type TermsObjectedSignalInput = TermsObjection;

export const TERMS_ROLLOUT_SIGNALS = {
  objected: 'objected',
} as const;

export const TERMS_ROLLOUT_QUERIES = {
  state: 'termsRolloutState',
} as const;

export interface TermsRolloutState {
  phase: 'NOTIFYING' | 'WAITING' | 'BINDING' | 'ACCEPTING' | 'DONE';
  /** ISO-8601 instant the version becomes binding */
  bindingAt: string;
  /** recipients notified so far */
  notified: number;
  /** objections accepted so far (one per recipient) */
  objections: number;
  /** continued-use acceptances recorded so far */
  accepted: number;
}

export interface TermsRolloutResult {
  notified: number;
  objected: number;
  accepted: number;
}
