import { ApplicationFailure } from '@temporalio/common';
import { isValidObjectId } from 'mongoose';
import { DATA_SUBJECT_REQUEST_NOT_FOUND, type ConsentRequestActivities } from '@omurga/workflows';
import type { ConsentModels } from './models.ts';

const notFound = (requestId: string) => ApplicationFailure.nonRetryable(`data-subject request ${requestId} not found`, DATA_SUBJECT_REQUEST_NOT_FOUND);

/**
 * The consent service's side of dataSubjectRequestWorkflow (CON-5). Each
 * activity is idempotent: events are keyed per request (status, reminder day,
 * escalation) and inserted only once.
 *
 * Reminders and the escalation are recorded as request events only; nobody is
 * e-mailed yet.
 */
export function consentRequestActivities(models: ConsentModels): ConsentRequestActivities {
  async function requireRequest(requestId: string) {
    if (!isValidObjectId(requestId) || !(await models.DataSubjectRequest.exists({ _id: requestId }))) throw notFound(requestId);
  }

  async function appendEvent(requestId: string, key: string, event: Record<string, unknown>) {
    await models.DataSubjectRequestEvent.updateOne({ requestId, key }, { $setOnInsert: event }, { upsert: true });
  }

  return {
    async recordDataSubjectRequestStatus({ requestId, status, at, answerRef, reason }) {
      await requireRequest(requestId);
      const when = new Date(at);
      const closed = status === 'ANSWERED' || status === 'REJECTED';
      await models.DataSubjectRequest.updateOne(
        { _id: requestId },
        {
          $set: {
            status,
            ...(closed ? { answeredAt: when } : {}),
            ...(answerRef === undefined ? {} : { answerRef }),
            ...(reason === undefined ? {} : { rejectionReason: reason }),
          },
        },
      );
      await appendEvent(requestId, `STATUS:${status}`, {
        kind: 'STATUS_CHANGED',
        status,
        at: when,
        answerRef: answerRef ?? null,
        reason: reason ?? null,
      });
    },

    async remindDataSubjectRequest({ requestId, day }) {
      await requireRequest(requestId);
      await appendEvent(requestId, `REMINDER:${day}`, { kind: 'REMINDER', day, at: new Date() });
    },

    async escalateDataSubjectRequest({ requestId }) {
      await requireRequest(requestId);
      await appendEvent(requestId, 'ESCALATED_TO_DPO', { kind: 'ESCALATED_TO_DPO', at: new Date() });
    },
  };
}
