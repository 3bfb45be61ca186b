import { ApplicationFailure } from '@temporalio/common';
import { isValidObjectId } from 'mongoose';
import { DATA_SUBJECT_REQUEST_NOT_FOUND, type ConsentRequestActivities } from './workflows/contracts/requests.ts';
import { appendRequestEvent, recordRequestStatus } from './data-subject-requests.ts';
import type { ConsentOutbox } from './emails.ts';
import type { ConsentModels } from './models.ts';

const notFound = (requestId: string) => ApplicationFailure.nonRetryable(`data-subject request ${requestId} not found`, DATA_SUBJECT_REQUEST_NOT_FOUND);

/**
 * The consent service's side of dataSubjectRequestWorkflow (CON-5). Each
 * activity is idempotent: events are keyed per request (status, reminder day,
 * escalation) and inserted only once.
 *
 * Reminders and the escalation e-mail the DPO operators the workflow passes
 * (or the configured CONSENT_DPO_EMAIL), once per request, stage and address,
 * and are recorded as request events.
 */
export function consentRequestActivities(models: ConsentModels, outbox: ConsentOutbox): ConsentRequestActivities {
  async function requireRequest(requestId: string) {
    if (!isValidObjectId(requestId) || !(await models.DataSubjectRequest.exists({ _id: requestId }))) throw notFound(requestId);
  }

  async function loadRequest(requestId: string) {
    const request = isValidObjectId(requestId) ? await models.DataSubjectRequest.findById(requestId, { kind: 1 }).lean() : null;
    if (!request) throw notFound(requestId);
    return request;
  }

  const consoleLink = (requestId: string) => outbox.operatorLink(`/operator/data-subject-requests/${requestId}`);

  const appendEvent = (requestId: string, key: string, event: Record<string, unknown>) => appendRequestEvent(models, requestId, key, event);

  return {
    async recordDataSubjectRequestStatus(input) {
      await requireRequest(input.requestId);
      await recordRequestStatus(models, input);
    },

    async remindDataSubjectRequest({ requestId, day, dueAt, recipients }) {
      const { kind } = await loadRequest(requestId);
      await outbox.send('DSR_REMINDER', `dsr/${requestId}/REMINDER:${day}`, outbox.toDpo(recipients), {
        requestId,
        kind,
        day: String(day),
        dueAt,
        link: consoleLink(requestId),
      });
      await appendEvent(requestId, `REMINDER:${day}`, { kind: 'REMINDER', day, at: new Date() });
    },

    async escalateDataSubjectRequest({ requestId, dueAt, recipients }) {
      const { kind } = await loadRequest(requestId);
      await outbox.send('DSR_ESCALATION', `dsr/${requestId}/ESCALATED_TO_DPO`, outbox.toDpo(recipients), { requestId, kind, dueAt, link: consoleLink(requestId) });
      await appendEvent(requestId, 'ESCALATED_TO_DPO', { kind: 'ESCALATED_TO_DPO', at: new Date() });
    },
  };
}
