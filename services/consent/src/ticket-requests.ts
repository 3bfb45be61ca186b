import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { isDuplicateKeyError } from '@omurga/shared';
import { DATA_SUBJECT_REQUEST_DETAILS_MAX, DATA_SUBJECT_REQUEST_KINDS } from '@omurga/shared/contracts';
import type { TicketConversionConsentActivities } from './workflows/contracts/requests.ts';
import { startDataSubjectRequestWorkflow, submitDataSubjectRequest } from './data-subject-requests.ts';
import type { ConsentModels, DataSubjectRequestDoc } from './models.ts';

/** The request a ticket becomes has an ID derived from the ticket's, so a retried conversion finds it. */
export function requestIdForTicket(ticketId: string): string {
  return createHash('sha256').update(`ticket/${ticketId}`).digest('hex').slice(0, 24);
}

/**
 * SUP-8 / CON-5: consent's side of ticketToDataSubjectRequestWorkflow. The
 * request is received when the ticket was opened (its 30 days run from then),
 * and otherwise is like one the person submitted: sealed details, its own
 * deadline workflow, the DPO steps.
 */
export function ticketRequestActivities(models: ConsentModels, temporal: Client): TicketConversionConsentActivities {
  return {
    async createDataSubjectRequestFromTicket(input) {
      if (!(DATA_SUBJECT_REQUEST_KINDS as readonly string[]).includes(input.kind)) {
        throw ApplicationFailure.nonRetryable(`unknown data-subject request kind ${input.kind}`, 'InvalidInput');
      }
      const receivedAt = new Date(input.receivedAt);
      if (Number.isNaN(receivedAt.getTime())) throw ApplicationFailure.nonRetryable(`receivedAt ${input.receivedAt} is not an instant`, 'InvalidInput');
      const requestId = requestIdForTicket(input.ticketId);
      const details = input.details?.trim().slice(0, DATA_SUBJECT_REQUEST_DETAILS_MAX) || null;
      try {
        await submitDataSubjectRequest(models, temporal, {
          userId: input.userId,
          kind: input.kind,
          details,
          now: receivedAt,
          requestId,
          sourceTicketId: input.ticketId,
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Recorded by an earlier attempt, which may have stopped before starting the deadline workflow.
        const existing = await models.DataSubjectRequest.findById(requestId).lean<DataSubjectRequestDoc>();
        if (!existing) throw error;
        if (existing.status === 'RECEIVED') await startDataSubjectRequestWorkflow(temporal, existing, true);
      }
      return { requestId };
    },
  };
}

/** The ticket a request arrived as (SUP-8), resolved by the support subgraph. */
export const ticketRequestResolvers = {
  DataSubjectRequest: {
    sourceTicket: ({ sourceTicketId }: { sourceTicketId?: string | null }) => (sourceTicketId ? { __typename: 'Ticket', id: sourceTicketId } : null),
  },
};
