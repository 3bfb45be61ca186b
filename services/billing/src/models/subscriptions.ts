import { Schema, type InferSchemaType } from 'mongoose';
import { SUBSCRIPTION_STATUSES } from '../workflows/contracts.ts';
import type { WithId } from './common.ts';
import { subscriptionDiscountSchema } from './coupons.ts';

const lifecycleEventSchema = new Schema(
  {
    at: { type: Date, required: true },
    type: { type: String, required: true },
    detail: { type: String, default: null },
    status: { type: String, default: null },
  },
  { _id: false },
);

const addOnQuantitySchema = new Schema({ code: { type: String, required: true }, quantity: { type: Number, required: true } }, { _id: false });

/**
 * The read model of a subscription. Its workflow (`subscription/<id>`) drives
 * every change of status and period through billing's activities (BIL-3).
 */
const subscriptionSchema = new Schema(
  {
    organizationId: { type: String, required: true },
    planCode: { type: String, required: true },
    currency: { type: String, required: true },
    status: { type: String, enum: SUBSCRIPTION_STATUSES, required: true },
    /** the plan and policy versions pinned to the current period */
    planId: { type: Schema.Types.ObjectId, required: true },
    policyId: { type: Schema.Types.ObjectId, required: true },
    periodIndex: { type: Number, default: 0 },
    trialEndsAt: { type: Date, default: null },
    currentPeriodStart: { type: Date, default: null },
    currentPeriodEnd: { type: Date, default: null },
    cancelAtPeriodEnd: { type: Boolean, default: false },
    cancelEffectiveAt: { type: Date, default: null },
    pendingPlanCode: { type: String, default: null },
    /** the customer chose to subscribe during a CANCEL_UNLESS_CONFIRMED trial */
    confirmed: { type: Boolean, default: false },
    addOns: { type: [addOnQuantitySchema], default: [] },
    /** one-off fees (installation, consultancy) charged on the first invoice, non-refundable [000 §5.7] */
    oneOffFeeCodes: { type: [String], default: [] },
    history: { type: [lifecycleEventSchema], default: [] },
    /** `${type}@${at}` of every history event, so a retried recording appends once */
    eventKeys: { type: [String], default: [] },
    startedBy: { type: String, default: null },
    /** a redeemed coupon's terms (issue 15); invoices count how many periods it has discounted */
    discount: { type: subscriptionDiscountSchema, default: null },
    /** the organisation's last standing change made outside billing (issue 12): a TERMINATED organisation is never charged again */
    organizationStanding: {
      type: new Schema(
        { standing: { type: String, required: true }, reason: { type: String, required: true }, at: { type: Date, required: true }, actor: { type: String, required: true } },
        { _id: false },
      ),
      default: null,
    },
  },
  { timestamps: true, collection: 'subscriptions', optimisticConcurrency: true },
);
subscriptionSchema.index({ organizationId: 1 });

/** One per organisation: the stored payment method (a provider token, never a card number). Prepaid balances are a ledger of their own (usage.ts). */
const billingAccountSchema = new Schema(
  {
    _id: { type: String, required: true }, // organizationId
    paymentMethod: {
      type: new Schema(
        {
          provider: { type: String, required: true },
          token: { type: String, required: true },
          addedAt: { type: Date, required: true },
          /** brand and last four digits, when the card came through hosted capture (issue 15) */
          cardLabel: { type: String, default: null },
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { timestamps: true, collection: 'billing_accounts' },
);

/** A metered usage record (BIL-9), idempotent by the caller's event id. */
const usageRecordSchema = new Schema(
  {
    organizationId: { type: String, required: true },
    subscriptionId: { type: Schema.Types.ObjectId, required: true },
    meterCode: { type: String, required: true },
    quantity: { type: Number, required: true },
    eventId: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    /** the invoice the record was billed on, once billed */
    invoiceId: { type: Schema.Types.ObjectId, default: null },
    /** what a prepaid meter drew from the balance */
    prepaidDebitMicros: { type: Number, default: 0 },
  },
  { timestamps: true, collection: 'usage_records' },
);
usageRecordSchema.index({ subscriptionId: 1, eventId: 1 }, { unique: true });
usageRecordSchema.index({ subscriptionId: 1, occurredAt: 1 });

/**
 * CON-4 [000 §6.7]: someone who represents the organisation objected to a
 * terms change, so its subscriptions may be cancelled without the policy's
 * notice until the new version binds. Granted by the terms rollout workflow.
 */
const cancellationRightSchema = new Schema(
  {
    organizationId: { type: String, required: true },
    documentVersionId: { type: String, required: true },
    until: { type: Date, required: true },
    grantedAt: { type: Date, required: true },
  },
  { collection: 'cancellation_rights' },
);
cancellationRightSchema.index({ organizationId: 1, documentVersionId: 1 }, { unique: true });

export type SubscriptionDoc = WithId<InferSchemaType<typeof subscriptionSchema>>;
export type BillingAccountDoc = InferSchemaType<typeof billingAccountSchema>;
export type UsageRecordDoc = WithId<InferSchemaType<typeof usageRecordSchema>>;
export type CancellationRightDoc = WithId<InferSchemaType<typeof cancellationRightSchema>>;
export { billingAccountSchema, cancellationRightSchema, subscriptionSchema, usageRecordSchema };
