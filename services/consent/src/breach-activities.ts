import { ApplicationFailure } from '@temporalio/common';
import { isValidObjectId } from 'mongoose';
import { isDuplicateKeyError } from '@omurga/shared';
import { BREACH_NOT_FOUND, type BreachActivities, type BreachClockKind } from './workflows/contracts/breaches.ts';
import type { ConsentOutbox } from './emails.ts';
import { findEndUserRequest, type EndUserRequestModel } from './end-user-requests.ts';
import type { BreachEventDoc, ConsentModels } from './models.ts';

type NewBreachEvent = Omit<Partial<BreachEventDoc>, '_id'> & Pick<BreachEventDoc, 'key' | 'kind' | 'at'>;

/** The key of a clock in a breach's `clockRecords` (and in its event keys). */
export const breachClockKey = (clock: BreachClockKind, organizationId?: string | null) => (organizationId ? `${clock}:${organizationId}` : clock);

/**
 * Inserts an event once: breach_events is append-only, so a retried activity
 * (same key) finds its event already there and does nothing.
 */
export async function appendBreachEvent(models: ConsentModels, event: NewBreachEvent): Promise<void> {
  try {
    await models.BreachEvent.create(event);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

const notFound = (breachId: string) => ApplicationFailure.nonRetryable(`breach ${breachId} not found`, BREACH_NOT_FOUND);

/**
 * The consent service's side of breachClockWorkflow and
 * endUserRequestForwardingWorkflow (CON-8); each activity is idempotent.
 * Escalations e-mail the DPO operators the workflow passes (or the configured
 * CONSENT_DPO_EMAIL); forwarding e-mails the customer's owners and admins.
 * Every e-mail goes once per breach or request, stage and address.
 */
export function consentBreachActivities(models: ConsentModels, endUserRequests: EndUserRequestModel, outbox: ConsentOutbox): BreachActivities {
  async function requireBreach(breachId: string) {
    if (!isValidObjectId(breachId) || !(await models.Breach.exists({ _id: breachId }))) throw notFound(breachId);
  }

  async function requireEndUserRequest(requestId: string) {
    const request = await findEndUserRequest(endUserRequests, requestId);
    if (!request) throw notFound(requestId);
    return request;
  }

  return {
    async escalateBreach({ breachId, clock, organizationId, dueAt, stage, recipients }) {
      await requireBreach(breachId);
      const clockKey = breachClockKey(clock, organizationId);
      await outbox.send('BREACH_ESCALATION', `breach/${breachId}/${clockKey}/${stage}`, outbox.toDpo(recipients), {
        breachId,
        clock,
        organizationId: organizationId ?? '',
        stage,
        dueAt,
        link: outbox.operatorLink(`/operator/breaches/${breachId}`),
      });
      await appendBreachEvent(models, {
        key: `${breachId}:ESCALATION:${clockKey}:${stage}`,
        breachId,
        kind: 'ESCALATION',
        clock,
        organizationId: organizationId ?? null,
        stage,
        dueAt: new Date(dueAt),
        at: new Date(),
      });
    },

    async recordBreachClock({ breachId, clock, organizationId, status, at }) {
      await requireBreach(breachId);
      const clockKey = breachClockKey(clock, organizationId);
      const when = new Date(at);
      // One dotted $set per clock, so clocks recorded at the same time do not overwrite each other.
      await models.Breach.updateOne(
        { _id: breachId },
        { $set: { [`clockRecords.${clockKey}`]: { clock, organizationId: organizationId ?? null, status, at: when } } },
      );
      await appendBreachEvent(models, {
        key: `${breachId}:CLOCK:${clockKey}:${status}`,
        breachId,
        kind: 'CLOCK_RECORDED',
        clock,
        organizationId: organizationId ?? null,
        status,
        at: when,
      });
    },

    async forwardEndUserRequest({ requestId, organizationId, recipients }) {
      const request = await requireEndUserRequest(requestId);
      const sent = await outbox.send('END_USER_REQUEST_FORWARDED', `end-user-request/${requestId}/FORWARDED`, recipients, {
        requestId,
        receivedAt: request.receivedAt.toISOString(),
        dueAt: request.dueAt.toISOString(),
        summary: request.summary,
      });
      // The first attempt to get this far sets the time; a retry keeps it.
      await endUserRequests.updateOne({ _id: requestId, forwardedAt: null }, { $set: { forwardedAt: new Date(), forwardedRecipients: sent } });
      await appendBreachEvent(models, {
        key: `end-user-request:${requestId}:FORWARDED`,
        requestId,
        kind: 'FORWARDED',
        clock: 'END_USER_FORWARDING',
        organizationId,
        at: new Date(),
      });
      return { recipients: sent };
    },

    async escalateEndUserRequest({ requestId, organizationId, dueAt, recipients }) {
      await requireEndUserRequest(requestId);
      await outbox.send('END_USER_REQUEST_ESCALATION', `end-user-request/${requestId}/ESCALATION`, outbox.toDpo(recipients), {
        requestId,
        organizationId,
        dueAt,
        link: outbox.operatorLink(`/operator/end-user-requests/${requestId}`),
      });
      await appendBreachEvent(models, {
        key: `end-user-request:${requestId}:ESCALATION`,
        requestId,
        kind: 'ESCALATION',
        clock: 'END_USER_FORWARDING',
        organizationId,
        stage: 'OVERDUE',
        dueAt: new Date(dueAt),
        at: new Date(),
      });
    },
  };
}
