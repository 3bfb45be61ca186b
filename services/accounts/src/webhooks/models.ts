import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';
import { WEBHOOK_EVENT_TYPES } from '@omurga/shared/contracts';

export const DELIVERY_STATUSES = ['PENDING', 'RETRYING', 'SUCCEEDED', 'FAILED'] as const;

/** A signing secret, encrypted at rest; an old one signs beside the new one until `expiresAt` (rotation grace). */
const signingSecretSchema = new Schema(
  {
    secretId: { type: String, required: true },
    ciphertext: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
  },
  { _id: false },
);

/** Where an organisation (a customer or a partner) wants its events POSTed. */
const webhookEndpointSchema = new Schema(
  {
    organizationId: { type: Schema.Types.ObjectId, required: true },
    url: { type: String, required: true },
    eventTypes: { type: [String], enum: WEBHOOK_EVENT_TYPES, required: true },
    description: { type: String, default: null },
    enabled: { type: Boolean, default: true },
    secrets: { type: [signingSecretSchema], default: [] },
    createdBy: { type: String, required: true },
    deletedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'webhook_endpoints', optimisticConcurrency: true },
);
webhookEndpointSchema.index({ organizationId: 1, deletedAt: 1 });

/** An event as emitted, kept so every delivery (and a redelivery) sends the same body. */
const webhookEventSchema = new Schema(
  {
    _id: { type: String },
    type: { type: String, enum: WEBHOOK_EVENT_TYPES, required: true },
    organizationId: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, collection: 'webhook_events', minimize: false },
);

const attemptSchema = new Schema(
  {
    /** `<run>:<attempt>`: a repeated activity finds its attempt already logged */
    key: { type: String, required: true },
    run: { type: Number, required: true },
    attempt: { type: Number, required: true },
    at: { type: Date, required: true },
    statusCode: { type: Number, default: null },
    error: { type: String, default: null },
    durationMs: { type: Number, required: true },
  },
  { _id: false },
);

/** One event to one endpoint: its status and every attempt (the delivery log). */
const webhookDeliverySchema = new Schema(
  {
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    endpointId: { type: Schema.Types.ObjectId, required: true },
    /** the endpoint's owner, who may read and redeliver */
    ownerOrganizationId: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, default: 'PENDING' },
    attempts: { type: [attemptSchema], default: [] },
    /** manual redeliveries started so far; each runs under its own workflow ID */
    redeliveries: { type: Number, default: 0 },
    deliveredAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'webhook_deliveries' },
);
webhookDeliverySchema.index({ eventId: 1, endpointId: 1 }, { unique: true });
webhookDeliverySchema.index({ endpointId: 1, _id: -1 });

type Doc<S> = InferSchemaType<S> & { _id: Types.ObjectId };
export type WebhookEndpointDoc = Doc<typeof webhookEndpointSchema>;
export type WebhookDeliveryDoc = Doc<typeof webhookDeliverySchema>;
export type StoredWebhookEvent = InferSchemaType<typeof webhookEventSchema> & { _id: string };

export function webhookModels(db: Connection) {
  return {
    WebhookEndpoint: db.model('WebhookEndpoint', webhookEndpointSchema),
    WebhookEvent: db.model('WebhookEvent', webhookEventSchema),
    WebhookDelivery: db.model('WebhookDelivery', webhookDeliverySchema),
  };
}
export type WebhookModels = ReturnType<typeof webhookModels>;
