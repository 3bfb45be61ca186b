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

export type PaymentAttemptDoc = WithId<InferSchemaType<typeof paymentAttemptSchema>>;
export type PartnerCommissionDoc = WithId<InferSchemaType<typeof partnerCommissionSchema>>;
export type BillingEmailDoc = WithId<InferSchemaType<typeof billingEmailSchema>>;
export { billingEmailSchema, partnerCommissionSchema, paymentAttemptSchema };
