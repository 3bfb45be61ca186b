import { Schema, type Connection, type InferSchemaType, type Types } from 'mongoose';

export const SUBSCRIPTION_STATUSES = ['TRIALING', 'ACTIVE', 'PAST_DUE', 'SUSPENDED', 'CANCELED', 'TERMINATED'] as const;
export const INVOICE_STATUSES = ['DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE'] as const;
export const COLLECTION_METHODS = ['CARD_AUTO', 'BANK_TRANSFER', 'ADVANCE'] as const;

const money = { amountMinor: { type: Number, required: true }, currency: { type: String, required: true } };
const moneySchema = new Schema(money, { _id: false });

const policySchema = new Schema(
  {
    code: { type: String, required: true },
    version: { type: Number, required: true },
    name: { type: String, required: true },
    seedReference: { type: String, default: null },
    trialPeriod: { type: String, default: null },
    trialRequiresPaymentMethod: { type: Boolean, required: true },
    billingPeriod: { type: String, required: true },
    collectionMethod: { type: String, enum: COLLECTION_METHODS, required: true },
    paymentDueAfter: { type: String, default: null },
    maxCollectionAttempts: { type: Number, required: true },
    retryInterval: { type: String, required: true },
    suspendAfter: { type: String, default: null },
    terminateAfter: { type: String, default: null },
    dataDeletionAfterTermination: { type: String, required: true },
    cancellationNotice: { type: String, required: true },
    termsChangeNotice: { type: String, required: true },
    lateInterestMonthlyBasisPoints: { type: Number, default: null },
  },
  { timestamps: true, collection: 'contract_policies' },
);
policySchema.index({ code: 1, version: 1 }, { unique: true });

const planSchema = new Schema(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    policyId: { type: Schema.Types.ObjectId, required: true },
    prices: { type: [moneySchema], default: [] },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, collection: 'plans' },
);
planSchema.index({ code: 1 }, { unique: true });

const lifecycleEventSchema = new Schema(
  { at: { type: Date, required: true }, type: { type: String, required: true }, detail: { type: String, default: null } },
  { _id: false },
);

const subscriptionSchema = new Schema(
  {
    organizationId: { type: String, required: true },
    planId: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, enum: SUBSCRIPTION_STATUSES, required: true },
    trialEndsAt: { type: Date, default: null },
    currentPeriodStart: { type: Date, default: null },
    currentPeriodEnd: { type: Date, default: null },
    cancelAtPeriodEnd: { type: Boolean, default: false },
    history: { type: [lifecycleEventSchema], default: [] },
  },
  { timestamps: true, collection: 'subscriptions', optimisticConcurrency: true },
);
subscriptionSchema.index({ organizationId: 1 });

const invoiceSchema = new Schema(
  {
    organizationId: { type: String, required: true },
    subscriptionId: { type: Schema.Types.ObjectId, default: null },
    number: { type: String, required: true },
    status: { type: String, enum: INVOICE_STATUSES, required: true },
    subtotal: { type: moneySchema, required: true },
    tax: { type: moneySchema, required: true },
    total: { type: moneySchema, required: true },
    issuedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    paidAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'invoices' },
);
invoiceSchema.index({ number: 1 }, { unique: true });
invoiceSchema.index({ organizationId: 1, _id: -1 });

type WithId<T> = T & { _id: Types.ObjectId };
export type PolicyDoc = WithId<InferSchemaType<typeof policySchema>>;
export type PlanDoc = WithId<InferSchemaType<typeof planSchema>>;
export type SubscriptionDoc = WithId<InferSchemaType<typeof subscriptionSchema>>;
export type InvoiceDoc = WithId<InferSchemaType<typeof invoiceSchema>>;

export function billingModels(db: Connection) {
  return {
    ContractPolicy: db.model('ContractPolicy', policySchema),
    Plan: db.model('Plan', planSchema),
    Subscription: db.model('Subscription', subscriptionSchema),
    Invoice: db.model('Invoice', invoiceSchema),
  };
}
export type BillingModels = ReturnType<typeof billingModels>;
