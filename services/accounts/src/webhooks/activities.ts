import type { Client } from '@temporalio/client';
import type { Types } from 'mongoose';
import { ApplicationFailure } from '@temporalio/common';
import { isEntityId } from '@omurga/shared';
import { WEBHOOK_DELIVERY_WORKFLOW, WEBHOOK_EVENT_TYPES, webhookDeliveryWorkflowId, type WebhookActivities, type WebhookAttemptOutcome, type WebhookEvent } from '@omurga/shared/contracts';
import { startWorkflowOnce } from '@omurga/shared/temporal';
import type { AccountsModels } from '../models.ts';
import { postJson, type PostResult } from './post.ts';
import type { WebhookSettings } from './settings.ts';
import { signatureHeaders } from './signing.ts';
import { TargetRefused, resolveTarget } from './target-guard.ts';

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;
const delivered = (statusCode: number | null) => statusCode !== null && statusCode >= 200 && statusCode < 300;

/** The body every delivery of the event sends (Standard Webhooks: type, timestamp, data). */
export function webhookBody(event: { _id: string | null; type: string; organizationId: string; occurredAt: Date; data: unknown }): string {
  return JSON.stringify({ id: event._id, type: event.type, timestamp: event.occurredAt.toISOString(), data: { organizationId: event.organizationId, ...(event.data as object) } });
}

/** Starts the delivery's workflow: run 0 retries on the schedule, a redelivery (run > 0) makes one attempt. */
export function startDelivery(client: Client, settings: WebhookSettings, deliveryId: string, run: number) {
  return startWorkflowOnce(client, WEBHOOK_DELIVERY_WORKFLOW, {
    workflowId: webhookDeliveryWorkflowId(deliveryId, run),
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [{ deliveryId, run, retryDelaysSeconds: run === 0 ? settings.retryDelaysSeconds : [] }],
  });
}

/** An organisation whose referring partner (ACC-9) the caller has just read: the fan-out need not read it again. */
export interface KnownReferrer {
  organizationId: string;
  referredByPartnerId: string | null;
}

/**
 * Stores each event someone listens to once and starts one delivery workflow
 * per subscribed endpoint (issue 15). A partner receives its referred
 * customers' events (ACC-9): the referrer is read from the organisation,
 * unless it is `known`.
 */
export function webhookPublisher(models: AccountsModels, client: Client, settings: WebhookSettings) {
  return async function publish(events: WebhookEvent[], known?: KnownReferrer): Promise<{ deliveries: number }> {
    events.forEach(checkEvent);
    let deliveries = 0;
    for (const organizationId of new Set(events.map((event) => event.organizationId))) {
      const ofOrganization = events.filter((event) => event.organizationId === organizationId);
      const referrer =
        known?.organizationId === organizationId
          ? known.referredByPartnerId
          : ((await models.Organization.findById(organizationId, { referredByPartnerId: 1 }).lean())?.referredByPartnerId?.toString() ?? null);
      const owners = [organizationId, ...(referrer ? [referrer] : [])];
      const types = [...new Set(ofOrganization.map((event) => event.type))];
      const endpoints = await models.WebhookEndpoint.find({ organizationId: { $in: owners }, deletedAt: null, enabled: true, eventTypes: { $in: types } }, { organizationId: 1, eventTypes: 1 }).lean();
      for (const event of ofOrganization) {
        const listening = endpoints.filter((endpoint) => endpoint.eventTypes.includes(event.type));
        // Only events someone listens to are kept (for their deliveries and redeliveries).
        if (listening.length === 0) continue;
        try {
          await models.WebhookEvent.create({ _id: event.id, type: event.type, organizationId: event.organizationId, occurredAt: new Date(event.occurredAt), data: event.data });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        for (const endpoint of listening) {
          const deliveryId = await deliveryFor(models, event, endpoint);
          await startDelivery(client, settings, deliveryId, 0);
        }
        deliveries += listening.length;
      }
    }
    return { deliveries };
  };
}

/** accounts' webhook activities (issue 15): fan-out of an event and one delivery attempt. */
export function webhookActivities(models: AccountsModels, client: Client, settings: WebhookSettings, publish = webhookPublisher(models, client, settings)): WebhookActivities {
  return {
    publishWebhookEvent: ({ event }) => publish([event]),
    publishWebhookEvents: ({ events }) => publish(events),

    async attemptWebhookDelivery({ deliveryId, run, attempt, final }) {
      const delivery = isEntityId(deliveryId) ? await models.WebhookDelivery.findById(deliveryId).lean() : null;
      if (!delivery) return { delivered: false, retryable: false };
      const key = `${run}:${attempt}`;
      const logged = delivery.attempts.find((entry) => entry.key === key);
      if (logged) return outcomeOf(logged.statusCode ?? null, final);
      const endpoint = await models.WebhookEndpoint.findById(delivery.endpointId).lean();
      const event = await models.WebhookEvent.findById(delivery.eventId).lean();
      let result: PostResult;
      let retryable = true;
      if (!endpoint || endpoint.deletedAt || !endpoint.enabled || !event) {
        result = { statusCode: null, error: endpoint && !endpoint.deletedAt ? 'endpoint disabled' : 'endpoint deleted', durationMs: 0 };
        retryable = false;
      } else {
        result = await attempt_(settings, endpoint, event);
      }
      await logAttempt(models, deliveryId, { key, run, attempt, at: new Date(), ...result }, final || !retryable);
      const outcome = outcomeOf(result.statusCode, final);
      return { ...outcome, retryable: outcome.retryable && retryable };
    },
  };
}

function outcomeOf(statusCode: number | null, final: boolean): WebhookAttemptOutcome {
  return { delivered: delivered(statusCode), retryable: !final };
}

function checkEvent(event: WebhookEvent): void {
  if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(event.type)) throw ApplicationFailure.nonRetryable(`unknown webhook event type ${event.type}`, 'InvalidWebhookEvent');
  if (!event.id || event.id.length > 200) throw ApplicationFailure.nonRetryable('a webhook event needs an id of at most 200 characters', 'InvalidWebhookEvent');
  if (!isEntityId(event.organizationId)) throw ApplicationFailure.nonRetryable(`webhook event ${event.id} names no organisation`, 'InvalidWebhookEvent');
}

/** The delivery of the event to the endpoint, created once (a unique index on event and endpoint). */
async function deliveryFor(models: AccountsModels, event: WebhookEvent, endpoint: { _id: Types.ObjectId; organizationId: Types.ObjectId }): Promise<string> {
  try {
    const created = await models.WebhookDelivery.create({ eventId: event.id, eventType: event.type, endpointId: endpoint._id, ownerOrganizationId: endpoint.organizationId });
    return created._id.toString();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const existing = await models.WebhookDelivery.findOne({ eventId: event.id, endpointId: endpoint._id }, { _id: 1 }).lean();
    return existing!._id.toString();
  }
}

type EndpointLike = { _id: { toString(): string }; url: string; secrets: { ciphertext: string; expiresAt?: Date | null }[] };
type EventLike = Parameters<typeof webhookBody>[0];

/** One signed POST; a refused target (re-checked now, against DNS rebinding) is a failed attempt. */
async function attempt_(settings: WebhookSettings, endpoint: EndpointLike, event: EventLike): Promise<PostResult> {
  let target;
  try {
    target = await resolveTarget(endpoint.url, settings.allowedTargets);
  } catch (error) {
    if (error instanceof TargetRefused) return { statusCode: null, error: `target refused: ${error.message}`, durationMs: 0 };
    throw error;
  }
  const body = webhookBody(event);
  const headers = signatureHeaders(settings, endpoint, event._id!, new Date(), body);
  return postJson(target, body, headers, settings.timeoutMs);
}

async function logAttempt(models: AccountsModels, deliveryId: string, entry: { key: string; run: number; attempt: number; at: Date } & PostResult, final: boolean): Promise<void> {
  await models.WebhookDelivery.updateOne({ _id: deliveryId, 'attempts.key': { $ne: entry.key } }, { $push: { attempts: entry } });
  if (delivered(entry.statusCode)) await models.WebhookDelivery.updateOne({ _id: deliveryId }, { $set: { status: 'SUCCEEDED', deliveredAt: entry.at } });
  else await models.WebhookDelivery.updateOne({ _id: deliveryId, status: { $ne: 'SUCCEEDED' } }, { $set: { status: final ? 'FAILED' : 'RETRYING' } });
}
