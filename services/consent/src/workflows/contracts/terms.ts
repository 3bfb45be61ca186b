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

/** Where a recipient's e-mails go (accounts' userContact). */
export interface TermsRecipientAddress {
  email: string;
  locale: 'tr' | 'en';
}

export interface TermsRolloutActivities {
  /**
   * The customers bound by the document's previous version, a page at a time
   * (at most `limit` IDs). The set is taken at publication, and people who
   * join during the notice are appended (TermsRecipientJoinedSignalInput);
   * the order is stable, so the workflow can page through it twice: once to
   * notify, and again at bindingAt to record acceptances.
   */
  listAffectedCustomers(input: { documentVersionId: string; cursor: string | null; limit: number; bindingAt?: string }): Promise<AffectedCustomersPage>;
  /**
   * E-mails the recipient the new version and when it becomes binding for them (a no-op when already
   * sent), and keeps that instant on the recipient (listAffectedCustomers pages by it).
   * `to` is the recipient's address as accounts' userContact gave it; null (an unknown or erased
   * person) sends nothing. `sent` is true when this call sent it.
   */
  notifyTermsChange(input: { documentVersionId: string; recipientId: string; bindingAt: string; to: TermsRecipientAddress | null }): Promise<{ sent: boolean }>;
  /** Records the objection (append-only; a no-op when already recorded). */
  recordTermsObjection(input: { documentVersionId: string; recipientId: string; objectedAt: string }): Promise<void>;
  /**
   * Offers the objector cancellation at no cost and without notice until `until` (ISO-8601, when
   * the version binds) [000 §6.7] by e-mail to `to` (a no-op when already offered); records the
   * objection too if it is not yet.
   */
  offerCostFreeCancellation(input: { documentVersionId: string; recipientId: string; objectedAt: string; until: string; to: TermsRecipientAddress | null }): Promise<void>;
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
  /** people who joined during the notice and were notified of it */
  joined?: number;
  accepted: number;
  /** every objection so far; each has already been offered a cost-free cancellation */
  objections: TermsObjection[];
  /** the recipients' own binding instants (ISO-8601) still ahead, soonest first */
  bindings?: string[];
  /** the version has been made binding for newcomers (makeBinding) */
  bound?: boolean;
}

export interface TermsObjection {
  recipientId: string;
  /** ISO-8601 instant the recipient objected */
  at: string;
}

/** Signal payload: a recipient rejected the new version before it became binding. */
export type TermsObjectedSignalInput = TermsObjection;

/**
 * Signal payload: someone accepted the previous version while this one awaited
 * binding (a sign-up during the notice). Consent has already added them to the
 * recipients, so they accept by continued use at binding unless they object.
 */
export interface TermsRecipientJoinedSignalInput {
  recipientId: string;
}

export const TERMS_ROLLOUT_SIGNALS = {
  objected: 'objected',
  joined: 'recipientJoined',
} as const;

export const TERMS_ROLLOUT_QUERIES = {
  state: 'termsRolloutState',
} as const;

export interface TermsRolloutState {
  phase: 'NOTIFYING' | 'WAITING' | 'BINDING' | 'ACCEPTING' | 'DONE';
  /**
   * ISO-8601 instant the version becomes binding for newcomers and for
   * customers without a live subscription (publication + its notice); a
   * customer with one is bound after its own policy's terms-change notice
   */
  bindingAt: string;
  /** recipients notified so far */
  notified: number;
  /**
   * people who accepted the previous version during the notice and were notified on joining;
   * someone who joined while the notices were still going out may be counted in `notified` instead
   */
  joined: number;
  /** objections accepted so far (one per recipient) */
  objections: number;
  /** continued-use acceptances recorded so far */
  accepted: number;
}

export interface TermsRolloutResult {
  notified: number;
  joined: number;
  objected: number;
  accepted: number;
}

