/**
 * Support tickets (SUP-2, SUP-3, SUP-4): the ticket workflow keeps a ticket's
 * SLA clock in business hours and its auto-close timer; the support service
 * starts it when a ticket is opened, signals every change, and serves the
 * activities below on TASK_QUEUES.support. Every activity is idempotent.
 */

export const ticketWorkflowId = (ticketId: string) => `ticket/${ticketId}`;

/** A window in which response targets are extended (an announcement, SUP-4). */
export interface SlaExtension {
  /** ISO-8601 instants: tickets opened in [from, to) get `extraBusinessTime` added to their targets */
  from: string;
  to: string;
  /** ISO-8601 duration of business time, e.g. PT2H */
  extraBusinessTime: string;
  announcementId: string;
}

/** The SLA policy a ticket runs under (per plan, SUP-3). */
export interface SlaTargets {
  /** ISO-8601 durations of business time (10:00–22:00 Europe/Istanbul, Turkish holidays excluded) */
  firstResponse: string;
  nextResponse: string;
  /** escalate this long (business time) before the due time; PT0S = only at breach */
  warnBefore: string;
}

export interface TicketWorkflowInput {
  ticketId: string;
  /** ISO-8601 instant the ticket was opened */
  openedAt: string;
  targets: SlaTargets;
  /** announcement windows that cover openedAt (already filtered by the service) */
  extensions: SlaExtension[];
  /** ISO-8601 durations (calendar time): close after this long in ANSWERED, warning the customer `autoCloseWarning` before */
  autoCloseAfter: string;
  autoCloseWarning: string;
  /**
   * A closed ticket started again by signalWithStart (reopened by a reply):
   * nothing is due until the start signal is applied, so a customer's reply
   * waits `targets.nextResponse` from that signal, not a first response from openedAt.
   */
  reopened?: boolean;
}

/** What the customer or an agent did; the workflow moves its clock accordingly. */
export type TicketEvent =
  | { kind: 'AGENT_REPLIED'; at: string }
  | { kind: 'CUSTOMER_REPLIED'; at: string }
  | { kind: 'ON_HOLD'; at: string }
  | { kind: 'RESUMED'; at: string }
  | { kind: 'CLOSED'; at: string };

export const TICKET_SIGNALS = { event: 'ticketEvent' } as const;
export const TICKET_QUERIES = { sla: 'ticketSla' } as const;

export interface TicketSlaState {
  /** ISO-8601; null once the first response was given */
  firstResponseDueAt: string | null;
  /** ISO-8601; the response the customer is waiting for now, null when nobody waits on an agent */
  responseDueAt: string | null;
  breached: boolean;
  paused: boolean;
  status: 'OPEN' | 'ANSWERED' | 'CUSTOMER_REPLY' | 'ON_HOLD' | 'CLOSED';
}

export type SlaEscalationStage = 'WARNING' | 'BREACHED';

export interface SupportActivities {
  /** Stores the due time the workflow computed (null = nothing due), so reads need no workflow query. */
  recordSlaDue(input: { ticketId: string; responseDueAt: string | null; firstResponseDueAt: string | null }): Promise<void>;
  /** Marks the ticket breached (BREACHED) and notifies the agents (both stages). */
  escalateTicket(input: { ticketId: string; stage: SlaEscalationStage; dueAt: string }): Promise<void>;
  /** E-mails the customer that the ticket will close at `closesAt` unless they reply. */
  sendAutoCloseWarning(input: { ticketId: string; closesAt: string }): Promise<void>;
  /** Closes a ticket still in ANSWERED (a no-op otherwise) and e-mails the customer. */
  autoCloseTicket(input: { ticketId: string; at: string }): Promise<void>;
}
