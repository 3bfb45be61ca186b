import { Types } from 'mongoose';
import { z } from 'zod';
import { badUserInput, forbidden, hasOperatorRole, isEntityId, requireAuthenticated, type Resolvers } from '@omurga/shared';
import { WEBHOOK_EVENT_TYPES, webhookDeliveryWorkflowId, type WebhookEventType } from '@omurga/shared/contracts';
import type { AccountsDeps, Ctx } from '../deps.ts';
import type { WebhookDeliveryDoc, WebhookEndpointDoc } from '../webhooks/models.ts';
import { startDelivery } from '../webhooks/activities.ts';
import { newSigningSecret, sealSecret } from '../webhooks/secret-box.ts';
import { TargetRefused, resolveTarget } from '../webhooks/target-guard.ts';
import { MANAGERS } from './access.ts';
import { failure, invalidInput, ok, refused } from './payloads.ts';

const MAX_ENDPOINTS = 20;
const DEFAULT_GRACE_HOURS = 24;
const MAX_GRACE_HOURS = 168;

const eventTypes = z
  .array(z.string())
  .min(1, { message: 'REQUIRED' })
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)]);
const endpointInput = z.object({ url: z.string().trim().min(1).max(2048), eventTypes, description: z.string().trim().max(200).nullish() });
const endpointChanges = z.object({ url: z.string().trim().min(1).max(2048).nullish(), eventTypes: eventTypes.nullish(), description: z.string().trim().max(200).nullish(), enabled: z.boolean().nullish() });

/**
 * Who acts for the organisation's webhooks: its OWNER or ADMIN, its own
 * partner token with `webhooks:manage`, or a SUPER_ADMIN operator; null for
 * anyone else, so another organisation's endpoint reads as missing.
 */
async function webhookActor(deps: AccountsDeps, ctx: Ctx, organizationId: string): Promise<string | null> {
  const principal = requireAuthenticated(ctx);
  if (!isEntityId(organizationId)) return null;
  switch (principal.kind) {
    case 'partner':
      return principal.partnerOrganizationId === organizationId && principal.scopes.has('webhooks:manage') ? `partner:${principal.keyId}` : null;
    case 'operator':
      return hasOperatorRole(principal, ['SUPER_ADMIN']) ? `operator:${principal.userId}` : null;
    case 'user': {
      const membership = await deps.models.Membership.findOne({ organizationId, userId: principal.userId }, { role: 1 }).lean();
      return membership && MANAGERS.includes(membership.role) ? `user:${principal.userId}` : null;
    }
  }
}

function unknownTypes(types: readonly string[]): string[] {
  return types.filter((type) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type));
}

/** SSRF: the URL must resolve to public addresses only (or the allow-list); a coded BAD_USER_INPUT otherwise. */
async function checkTarget(deps: AccountsDeps, ctx: Ctx, url: string): Promise<void> {
  try {
    await resolveTarget(url, deps.webhooks.allowedTargets);
  } catch (error) {
    if (!(error instanceof TargetRefused)) throw error;
    throw badUserInput(ctx.locale, `webhook URL refused: ${error.message}`);
  }
}

const endpointView = (doc: WebhookEndpointDoc) => {
  const newest = doc.secrets.at(-1);
  return {
    id: doc._id.toString(),
    organizationId: doc.organizationId.toString(),
    url: doc.url,
    eventTypes: doc.eventTypes,
    description: doc.description ?? null,
    enabled: doc.enabled,
    createdAt: (doc as { createdAt?: Date }).createdAt,
    secretCreatedAt: newest?.createdAt ?? null,
    previousSecretsExpireAt: doc.secrets
      .slice(0, -1)
      .flatMap((secret) => (secret.expiresAt && secret.expiresAt > new Date() ? [secret.expiresAt] : []))
      .sort((a, b) => a.getTime() - b.getTime()),
  };
};

const deliveryView = (doc: WebhookDeliveryDoc) => ({
  id: doc._id.toString(),
  endpointId: doc.endpointId.toString(),
  eventId: doc.eventId,
  eventType: doc.eventType,
  status: doc.status,
  createdAt: (doc as { createdAt?: Date }).createdAt,
  deliveredAt: doc.deliveredAt ?? null,
  attempts: doc.attempts.toSorted((a, b) => a.at.getTime() - b.at.getTime()),
  workflowId: webhookDeliveryWorkflowId(doc._id.toString()),
});

/** Issue 15: organisations and partners register webhook endpoints, rotate their secrets, read the delivery log and redeliver. */
export function webhookResolvers(deps: AccountsDeps): Resolvers {
  const { models, webhooks } = deps;

  /** The endpoint, when the caller may manage it. */
  async function managedEndpoint(ctx: Ctx, id: string) {
    const endpoint = isEntityId(id) ? await models.WebhookEndpoint.findOne({ _id: id, deletedAt: null }).lean<WebhookEndpointDoc>() : null;
    if (!endpoint || !(await webhookActor(deps, ctx, endpoint.organizationId.toString()))) return null;
    return endpoint;
  }

  const sealed = (endpointId: Types.ObjectId, secret: string) => ({
    secretId: new Types.ObjectId().toString(),
    ciphertext: sealSecret(webhooks.secretKeys, endpointId.toString(), secret),
    createdAt: new Date(),
    expiresAt: null,
  });

  return {
    Query: {
      webhookEventTypes: () => WEBHOOK_EVENT_TYPES,
      webhookEndpoints: async (_: unknown, { organizationId }: { organizationId: string }, ctx: Ctx) => {
        if (!(await webhookActor(deps, ctx, organizationId))) return [];
        const rows = await models.WebhookEndpoint.find({ organizationId, deletedAt: null }).sort({ _id: 1 }).lean<WebhookEndpointDoc[]>();
        return rows.map(endpointView);
      },
      webhookDelivery: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        const delivery = isEntityId(id) ? await models.WebhookDelivery.findById(id).lean<WebhookDeliveryDoc>() : null;
        if (!delivery || !(await webhookActor(deps, ctx, delivery.ownerOrganizationId.toString()))) return null;
        return deliveryView(delivery);
      },
    },
    WebhookEndpoint: {
      deliveries: async (endpoint: { id: string }, { first }: { first?: number | null }) => {
        const limit = Math.min(Math.max(first ?? 20, 1), 100);
        const rows = await models.WebhookDelivery.find({ endpointId: endpoint.id }).sort({ _id: -1 }).limit(limit).lean<WebhookDeliveryDoc[]>();
        return rows.map(deliveryView);
      },
    },
    Mutation: {
      createWebhookEndpoint: async (_: unknown, args: { organizationId: string; input: unknown }, ctx: Ctx) => {
        const actor = await webhookActor(deps, ctx, args.organizationId);
        if (!actor) throw forbidden(ctx.locale);
        const parsed = endpointInput.safeParse(args.input);
        if (!parsed.success) return invalidInput(parsed.error, ctx.locale);
        const unknown = unknownTypes(parsed.data.eventTypes);
        if (unknown.length) return failure(ctx.locale, 'UNKNOWN_EVENT_TYPE', ['input', 'eventTypes'], { type: unknown.join(', ') });
        await checkTarget(deps, ctx, parsed.data.url);
        if ((await models.WebhookEndpoint.countDocuments({ organizationId: args.organizationId, deletedAt: null })) >= MAX_ENDPOINTS) {
          return failure(ctx.locale, 'TOO_MANY_WEBHOOK_ENDPOINTS', ['organizationId'], { max: MAX_ENDPOINTS });
        }
        const _id = new Types.ObjectId();
        const signingSecret = newSigningSecret();
        const endpoint = await models.WebhookEndpoint.create({
          _id,
          organizationId: args.organizationId,
          url: parsed.data.url,
          eventTypes: parsed.data.eventTypes as WebhookEventType[],
          description: parsed.data.description ?? null,
          secrets: [sealed(_id, signingSecret)],
          createdBy: actor,
        });
        return { endpoint: endpointView(endpoint.toObject() as WebhookEndpointDoc), signingSecret, userErrors: [] };
      },

      updateWebhookEndpoint: async (_: unknown, args: { id: string; changes: unknown }, ctx: Ctx) => {
        const endpoint = await managedEndpoint(ctx, args.id);
        if (!endpoint) return failure(ctx.locale, 'WEBHOOK_ENDPOINT_NOT_FOUND', ['id']);
        const parsed = endpointChanges.safeParse(args.changes);
        if (!parsed.success) return invalidInput(parsed.error, ctx.locale, ['changes']);
        const { url, eventTypes: types, description, enabled } = parsed.data;
        const unknown = unknownTypes(types ?? []);
        if (unknown.length) return failure(ctx.locale, 'UNKNOWN_EVENT_TYPE', ['changes', 'eventTypes'], { type: unknown.join(', ') });
        if (url) await checkTarget(deps, ctx, url);
        const set = {
          ...(url ? { url } : {}),
          ...(types ? { eventTypes: types as WebhookEventType[] } : {}),
          ...(description !== undefined ? { description: description || null } : {}),
          ...(typeof enabled === 'boolean' ? { enabled } : {}),
        };
        const updated = await models.WebhookEndpoint.findOneAndUpdate({ _id: endpoint._id, deletedAt: null }, { $set: set }, { new: true }).lean<WebhookEndpointDoc>();
        if (!updated) return failure(ctx.locale, 'WEBHOOK_ENDPOINT_NOT_FOUND', ['id']);
        return { endpoint: endpointView(updated), signingSecret: null, userErrors: [] };
      },

      deleteWebhookEndpoint: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        const endpoint = await managedEndpoint(ctx, id);
        if (!endpoint) return refused(ctx.locale, 'WEBHOOK_ENDPOINT_NOT_FOUND', ['id']);
        // Kept, without its secrets, so the delivery log still names it; pending retries stop at their next attempt.
        await models.WebhookEndpoint.updateOne({ _id: endpoint._id, deletedAt: null }, { $set: { deletedAt: new Date(), enabled: false, secrets: [] } });
        return ok;
      },

      rotateWebhookSigningSecret: async (_: unknown, args: { id: string; graceHours?: number | null }, ctx: Ctx) => {
        const graceHours = args.graceHours ?? DEFAULT_GRACE_HOURS;
        if (!Number.isInteger(graceHours) || graceHours < 0 || graceHours > MAX_GRACE_HOURS) return failure(ctx.locale, 'INVALID_VALUE', ['graceHours']);
        for (let tries = 0; tries < 3; tries += 1) {
          const endpoint = await managedEndpoint(ctx, args.id);
          if (!endpoint) return failure(ctx.locale, 'WEBHOOK_ENDPOINT_NOT_FOUND', ['id']);
          const now = new Date();
          const graceEnd = new Date(now.getTime() + graceHours * 3_600_000);
          const kept = endpoint.secrets
            .filter((secret) => !secret.expiresAt || secret.expiresAt > now)
            .map((secret) => ({ ...secret, expiresAt: secret.expiresAt && secret.expiresAt < graceEnd ? secret.expiresAt : graceEnd }))
            .filter((secret) => secret.expiresAt > now);
          const signingSecret = newSigningSecret();
          const secrets = [...kept, sealed(endpoint._id, signingSecret)];
          const updated = await models.WebhookEndpoint.findOneAndUpdate(
            { _id: endpoint._id, deletedAt: null, __v: (endpoint as { __v?: number }).__v ?? 0 },
            { $set: { secrets }, $inc: { __v: 1 } },
            { new: true },
          ).lean<WebhookEndpointDoc>();
          if (updated) return { endpoint: endpointView(updated), signingSecret, userErrors: [] };
        }
        return failure(ctx.locale, 'CONCURRENT_UPDATE', ['id']);
      },

      redeliverWebhook: async (_: unknown, { deliveryId }: { deliveryId: string }, ctx: Ctx) => {
        const delivery = isEntityId(deliveryId) ? await models.WebhookDelivery.findById(deliveryId, { ownerOrganizationId: 1 }).lean() : null;
        if (!delivery || !(await webhookActor(deps, ctx, delivery.ownerOrganizationId.toString()))) return failure(ctx.locale, 'WEBHOOK_DELIVERY_NOT_FOUND', ['deliveryId']);
        const counted = await models.WebhookDelivery.findOneAndUpdate({ _id: delivery._id }, { $inc: { redeliveries: 1 } }, { new: true }).lean<WebhookDeliveryDoc>();
        await startDelivery(deps.temporal, webhooks, deliveryId, counted!.redeliveries);
        return { delivery: deliveryView(counted!), userErrors: [] };
      },
    },
  };
}
