import { Schema, type InferSchemaType } from 'mongoose';
import { moneySchema, type WithId } from './common.ts';

export const PAYMENT_ATTEMPT_STATUSES = ['PENDING', 'SUCCEEDED', 'DECLINED', 'UNKNOWN'] as const;

/**
 * One collection attempt of an invoice (BIL-5). The idempotency key is unique,
 * so a retried activity finds its own earlier attempt instead of charging again.
 */
const paymentAttemptSchema = new Schema(
  {
    invoiceId: { type: Schema.Types.ObjectId, required: true },
    organizationId: { type: String, required: true },
    attempt: { type: Number, required: true },
    idempotencyKey: { type: String, required: true },
    provider: { type: String, required: true },
    amount: { type: moneySchema, required: true },
    status: { type: String, enum: PAYMENT_ATTEMPT_STATUSES, required: true },
    declineCode: { type: String, default: null },
    providerPaymentId: { type: String, default: null },
    settledAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'payment_attempts' },
);
paymentAttemptSchema.index({ idempotencyKey: 1 }, { unique: true });
paymentAttemptSchema.index({ invoiceId: 1, attempt: 1 });

/** A partner's commission on a referred customer's paid invoice (BIL-11). */
const partnerCommissionSchema = new Schema(
  {
    partnerId: { type: String, required: true },
    organizationId: { type: String, required: true },
    invoiceId: { type: Schema.Types.ObjectId, required: true },
    invoiceNumber: { type: String, required: true },
    basis: { type: moneySchema, required: true },
    rateBasisPoints: { type: Number, required: true },
    amount: { type: moneySchema, required: true },
    accruedAt: { type: Date, required: true },
  },
  { timestamps: true, collection: 'partner_commissions' },
);
partnerCommissionSchema.index({ invoiceId: 1 }, { unique: true });
partnerCommissionSchema.index({ partnerId: 1, _id: -1 });

/** Every billing e-mail handed to the e-mail workflow: idempotency by key, and a record of what the customer was told. */
const billingEmailSchema = new Schema(
  {
    key: { type: String, required: true },
    kind: { type: String, required: true },
    organizationId: { type: String, required: true },
    subscriptionId: { type: Schema.Types.ObjectId, default: null },
    invoiceId: { type: Schema.Types.ObjectId, default: null },
    to: { type: [String], default: [] },
    subject: { type: String, required: true },
  },
  { timestamps: true, collection: 'billing_emails' },
);
billingEmailSchema.index({ key: 1 }, { unique: true });
billingEmailSchema.index({ subscriptionId: 1, createdAt: 1 });

/**
 * A hosted card capture (issue 15): the provider's session token, who asked,
 * and the subscription to start once the card is on file (a policy that
 * requires a card [000 §4.5]). Its id is the subscription's id to be, so a
 * repeated callback opens that subscription once.
 */
const cardCaptureSessionSchema = new Schema(
  {
    token: { type: String, required: true },
    /** the provider's hosted page */
    pageUrl: { type: String, required: true },
    provider: { type: String, required: true },
    organizationId: { type: String, required: true },
    requestedBy: { type: String, default: null },
    status: { type: String, enum: ['PENDING', 'COMPLETED', 'FAILED'], required: true },
    subscriptionRequest: {
      type: new Schema(
        {
          planCode: { type: String, required: true },
          currency: { type: String, required: true },
          addOns: { type: [new Schema({ code: String, quantity: Number }, { _id: false })], default: [] },
          oneOffFees: { type: [String], default: [] },
        },
        { _id: false },
      ),
      default: null,
    },
    subscriptionId: { type: Schema.Types.ObjectId, default: null },
    subscriptionProblem: { type: String, default: null },
    cardLabel: { type: String, default: null },
    failure: { type: String, default: null },
    expiresAt: { type: Date, required: true },
    completedAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'card_capture_sessions' },
);
cardCaptureSessionSchema.index({ token: 1 }, { unique: true });
cardCaptureSessionSchema.index({ organizationId: 1, _id: -1 });

export type CardCaptureSessionDoc = WithId<InferSchemaType<typeof cardCaptureSessionSchema>>;
export type PaymentAttemptDoc = WithId<InferSchemaType<typeof paymentAttemptSchema>>;
export type PartnerCommissionDoc = WithId<InferSchemaType<typeof partnerCommissionSchema>>;
export type BillingEmailDoc = WithId<InferSchemaType<typeof billingEmailSchema>>;
export { billingEmailSchema, cardCaptureSessionSchema, partnerCommissionSchema, paymentAttemptSchema };
