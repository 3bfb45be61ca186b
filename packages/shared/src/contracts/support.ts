/**
 * What the support service offers to other services' workflows, on
 * TASK_QUEUES.support.
 */

/** The support service's side of the conversion, on TASK_QUEUES.support. */
export interface TicketConversionSupportActivities {
  /** Stores the request on the ticket and records a CONVERTED_TO_DSR event, once. */
  linkTicketToDataSubjectRequest(input: { ticketId: string; requestId: string }): Promise<void>;
}
