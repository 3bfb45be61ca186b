import { ApplicationFailure } from '@temporalio/common';
import { isValidObjectId } from 'mongoose';
import { isDuplicateKeyError } from '@omurga/shared';
import { BREACH_NOT_FOUND, type BreachActivities, type BreachClockKind } from '@omurga/workflows';
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
 *
 * Not done yet: escalations are recorded as ESCALATION events only (nobody is
 * e-mailed), and forwardEndUserRequest records a FORWARDED event without
 * actually sending the request on to the customer.
 */
export function consentBreachActivities(models: ConsentModels): BreachActivities {
  async function requireBreach(breachId: string) {
    if (!isValidObjectId(breachId) || !(await models.Breach.exists({ _id: breachId }))) throw notFound(breachId);
  }

  return {
    async escalateBreach({ breachId, clock, organizationId, dueAt, stage }) {
      await requireBreach(breachId);
      await appendBreachEvent(models, {
        key: `${breachId}:ESCALATION:${breachClockKey(clock, organizationId)}:${stage}`,
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

    // End-user requests are not stored by the consent service yet, so there is nothing to look up here.
    async forwardEndUserRequest({ requestId, organizationId }) {
      await appendBreachEvent(models, {
        key: `end-user-request:${requestId}:FORWARDED`,
        requestId,
        kind: 'FORWARDED',
        clock: 'END_USER_FORWARDING',
        organizationId,
        at: new Date(),
      });
    },

    async escalateEndUserRequest({ requestId, organizationId, dueAt }) {
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
