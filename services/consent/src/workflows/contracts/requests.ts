/**
 * Data-subject requests (SPEC CON-5, KVKK art. 11 and 13): what the consent
 * service offers to workflows, and what dataSubjectRequestWorkflow accepts.
 * The consent service registers these activities on TASK_QUEUES.consent and
 * implements them against its own database; every one is idempotent (a
 * retried or duplicated call leaves the same state as one call).
 */

import type { ContactAddress, DataSubjectRequestKind, TicketToDataSubjectRequestInput, TicketToDataSubjectRequestOutcome } from '@omurga/shared/contracts';

/**
 * RECEIVED → IDENTITY_VERIFIED → IN_PROGRESS → ANSWERED; REJECTED from any
 * open status. ANSWERED and REJECTED are final.
 */
export const DATA_SUBJECT_REQUEST_STATUSES = ['RECEIVED', 'IDENTITY_VERIFIED', 'IN_PROGRESS', 'ANSWERED', 'REJECTED'] as const;
export type DataSubjectRequestStatus = (typeof DATA_SUBJECT_REQUEST_STATUSES)[number];
export type ClosedDataSubjectRequestStatus = Extract<DataSubjectRequestStatus, 'ANSWERED' | 'REJECTED'>;

/** Art. 13: answered within 30 days of receipt, free of charge. */
export const DATA_SUBJECT_REQUEST_ANSWER_DAYS = 30;
/** Days after receipt at which the handling operators are reminded of a still-open request. */
export const DATA_SUBJECT_REQUEST_REMINDER_DAYS = [20, 27] as const;

/** Raised (non-retryable) when the request does not exist in the consent service. */
export const DATA_SUBJECT_REQUEST_NOT_FOUND = 'DataSubjectRequestNotFound';

export interface ConsentRequestActivities {
  /** Stores a status change of the request (with the answer's reference or the rejection reason when there is one). */
  recordDataSubjectRequestStatus(input: {
    requestId: string;
    status: DataSubjectRequestStatus;
    /** ISO-8601 instant of the change */
    at: string;
    answerRef?: string;
    reason?: string;
  }): Promise<void>;
  /**
   * Reminds the operators handling the request (the DPO operators, `recipients`)
   * that it is still open `day` days after receipt; e-mails each once per request and day.
   */
  remindDataSubjectRequest(input: { requestId: string; day: number; dueAt: string; recipients: ContactAddress[] }): Promise<void>;
  /** Tells the operators with the DPO role (`recipients`) that the request is still open at its due date; e-mails each once. */
  escalateDataSubjectRequest(input: { requestId: string; dueAt: string; recipients: ContactAddress[] }): Promise<void>;
}

export const dataSubjectRequestWorkflowId = (requestId: string) => `data-subject-request/${requestId}`;

/** Input of dataSubjectRequestWorkflow (CON-5). */
export interface DataSubjectRequestInput {
  requestId: string;
  userId: string;
  kind: DataSubjectRequestKind;
  /** ISO-8601 instant the request was received */
  receivedAt: string;
  /** ISO-8601 instant it must be answered by: receivedAt + 30 days */
  dueAt: string;
}

export const DATA_SUBJECT_REQUEST_SIGNALS = {
  identityVerified: 'identityVerified',
  workStarted: 'workStarted',
  answered: 'answered',
  rejected: 'rejected',
} as const;

export interface DataSubjectRequestAnsweredPayload {
  /** where the answer is kept (a document or message ID) */
  answerRef?: string;
}
export interface DataSubjectRequestRejectedPayload {
  reason: string;
}

export const DATA_SUBJECT_REQUEST_STATE_QUERY = 'dataSubjectRequestState';

export interface DataSubjectRequestState {
  status: DataSubjectRequestStatus;
  dueAt: string;
  /** reminder days (after receipt) already sent, in order */
  remindersSent: number[];
  /** whether the DPO has been told the request is overdue */
  escalated: boolean;
}

/** What dataSubjectRequestWorkflow returns once the request is closed. */
export interface DataSubjectRequestOutcome {
  status: ClosedDataSubjectRequestStatus;
  /** ISO-8601 instant it was answered or rejected */
  answeredAt: string;
}


/** The consent service's side of the conversion, on TASK_QUEUES.consent. */
export interface TicketConversionConsentActivities {
  /**
   * Records the request (and starts its dataSubjectRequestWorkflow); the
   * request's ID derives from the ticket's, so a retry finds it already created.
   */
  createDataSubjectRequestFromTicket(input: TicketToDataSubjectRequestInput): Promise<TicketToDataSubjectRequestOutcome>;
}

