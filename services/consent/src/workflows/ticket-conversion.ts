import { proxyActivities } from '@temporalio/workflow';
import { CONVERTED_TICKET_NOT_FOUND, type TicketConversionSupportActivities, type TicketToDataSubjectRequestInput, type TicketToDataSubjectRequestOutcome, TASK_QUEUES } from '@omurga/shared/contracts';
import type { TicketConversionConsentActivities } from './contracts/requests.ts';

/** No maximumAttempts: a request the person made must not be lost while a service is away. */
const retry = { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' };

const { createDataSubjectRequestFromTicket } = proxyActivities<TicketConversionConsentActivities>({
  taskQueue: TASK_QUEUES.consent,
  startToCloseTimeout: '30 seconds',
  retry,
});

const { linkTicketToDataSubjectRequest } = proxyActivities<TicketConversionSupportActivities>({
  taskQueue: TASK_QUEUES.support,
  startToCloseTimeout: '30 seconds',
  retry: { ...retry, nonRetryableErrorTypes: [CONVERTED_TICKET_NOT_FOUND] },
});

/**
 * SUP-8 / CON-5: a ticket carrying a KVKK request becomes a data-subject
 * request. Consent records it (received when the ticket was opened), then
 * support links the ticket to it. Started with ID
 * ticketToDataSubjectRequestWorkflowId(ticketId); both activities are idempotent.
 */
export async function ticketToDataSubjectRequestWorkflow(input: TicketToDataSubjectRequestInput): Promise<TicketToDataSubjectRequestOutcome> {
  const { requestId } = await createDataSubjectRequestFromTicket(input);
  await linkTicketToDataSubjectRequest({ ticketId: input.ticketId, requestId });
  return { requestId };
}
