/**
 * CON-8 breach register clocks: what the consent service offers to the breach
 * and end-user request workflows (activities it registers on
 * TASK_QUEUES.consent, each idempotent), and what those workflows accept.
 *
 * - KVKK Board decision 2019/10: the Board is notified within 72 hours of
 *   learning of a breach.
 * - [003 Ek-1 §4.1.5]: as a processor the platform notifies the controller
 *   (the affected customer) within 24 hours.
 * - [003 Ek-1 §5.3]: a data-subject request about a customer's own end-users
 *   is forwarded to that customer within 48 hours.
 */

import type { ContactAddress } from '@omurga/shared/contracts';

const HOUR_MS = 3_600_000;

/** How long each clock runs, from the instant the breach was detected (or the request received). */
export const BREACH_WINDOWS_MS = {
  BOARD: 72 * HOUR_MS,
  CONTROLLER: 24 * HOUR_MS,
  END_USER_FORWARDING: 48 * HOUR_MS,
} as const;

/** CONTROLLER: the breach is of the platform's own data; PROCESSOR: of data it processes for customers. */
export const BREACH_ROLES = ['CONTROLLER', 'PROCESSOR'] as const;
export type BreachRole = (typeof BREACH_ROLES)[number];

/** BOARD: notify the KVKK Board; CONTROLLER: notify one affected customer (PROCESSOR breaches only). */
export type BreachClockKind = 'BOARD' | 'CONTROLLER';
export type BreachClockStatus = 'OPEN' | 'MET' | 'MISSED';
/** Half the window gone, one hour left, deadline passed. */
export type BreachEscalationStage = 'HALF_TIME' | 'ONE_HOUR_LEFT' | 'OVERDUE';

export interface BreachEscalation {
  breachId: string;
  /** the DPO operators to e-mail (each once per clock and stage) */
  recipients: ContactAddress[];
  clock: BreachClockKind;
  /** the customer to be notified, for CONTROLLER clocks */
  organizationId?: string;
  /** ISO-8601 deadline of the clock */
  dueAt: string;
  stage: BreachEscalationStage;
}

export interface BreachClockRecord {
  breachId: string;
  clock: BreachClockKind;
  organizationId?: string;
  status: 'MET' | 'MISSED';
  /** ISO-8601: when the notification was made (MET) or the deadline (MISSED) */
  at: string;
}

export interface BreachActivities {
  /** Alerts the DPO operators that a clock is running out (or has run out). */
  escalateBreach(input: BreachEscalation): Promise<void>;
  /** Writes a clock's outcome into the breach register. */
  recordBreachClock(input: BreachClockRecord): Promise<void>;
  /**
   * Sends a data-subject request about the customer's end-users on to that
   * customer [003 Ek-1 §5.3]: e-mails it to `recipients` (the customer's
   * owners and admins) once each and records it FORWARDED with how many
   * addresses it went to (0: nobody to write to; the workflow then alerts the DPO).
   */
  forwardEndUserRequest(input: { requestId: string; organizationId: string; recipients: ContactAddress[] }): Promise<{ recipients: number }>;
  /** Alerts the DPO operators (`recipients`) that the customer has not acknowledged a forwarded request by `dueAt`. */
  escalateEndUserRequest(input: { requestId: string; organizationId: string; dueAt: string; recipients: ContactAddress[] }): Promise<void>;
}

/** Raised (non-retryable) by the consent service when the breach or request does not exist. */
export const BREACH_NOT_FOUND = 'BreachNotFound';

export const breachWorkflowId = (breachId: string) => `breach/${breachId}`;
export const endUserRequestWorkflowId = (requestId: string) => `end-user-request/${requestId}`;

/** Input of breachClockWorkflow (CON-8). */
export interface BreachClockInput {
  breachId: string;
  /** ISO-8601 instant the platform learnt of the breach; every clock runs from it */
  detectedAt: string;
  role: BreachRole;
  /** customers whose data is affected; each gets a 24-hour clock when role is PROCESSOR */
  affectedOrganizationIds: string[];
}

/** Input of endUserRequestForwardingWorkflow (CON-8, [003 Ek-1 §5.3]). */
export interface EndUserRequestForwardingInput {
  requestId: string;
  organizationId: string;
  /** ISO-8601 instant the request reached the platform */
  receivedAt: string;
}

export const BREACH_SIGNALS = {
  /** payload BoardNotifiedSignal */
  boardNotified: 'boardNotified',
  /** payload ControllerNotifiedSignal */
  controllerNotified: 'controllerNotified',
  /** the DPO closes the register entry; open clocks stop escalating and the workflow ends */
  closed: 'closed',
} as const;

export interface BoardNotifiedSignal {
  /** ISO-8601 instant of the notification */
  at: string;
  /** the Board's reference for the notification */
  reference: string;
}

export interface ControllerNotifiedSignal {
  organizationId: string;
  /** ISO-8601 instant of the notification */
  at: string;
}

export const END_USER_REQUEST_SIGNALS = {
  /** the customer has acknowledged the forwarded request */
  forwardingAcknowledged: 'forwardingAcknowledged',
} as const;

export const BREACH_QUERIES = {
  breachState: 'breachState',
} as const;

export interface BreachClockState {
  clock: BreachClockKind;
  organizationId?: string;
  dueAt: string;
  status: BreachClockStatus;
  /** ISO-8601: when the notification was made, also when it came after the deadline */
  notifiedAt?: string;
  /** the Board's reference, for the BOARD clock */
  reference?: string;
}

/** What the breachState query (and the workflow's result) reports. */
export interface BreachState {
  breachId: string;
  role: BreachRole;
  detectedAt: string;
  closed: boolean;
  clocks: BreachClockState[];
}

export type EndUserRequestOutcome = 'ACKNOWLEDGED' | 'ACKNOWLEDGED_LATE';
