import { Schema, type InferSchemaType } from 'mongoose';
import { moneySchema, type WithId } from './common.ts';
import { correctionActSchema, invoiceBuyerSchema, invoiceLineSchema } from './invoices.ts';

/**
 * A credit note (iade faturası, issue 15): reverses all or part of an issued
 * invoice. Numbered in a series of its own (CREDIT_NOTE_SERIES_PREFIX) by the
 * invoices' gap-free numbering, so it has the same unique indexes.
 */
const creditNoteSchema = new Schema(
  {
    organizationId: { type: String, required: true },
    invoiceId: { type: Schema.Types.ObjectId, required: true },
    invoiceNumber: { type: String, required: true },
    invoiceIssuedAt: { type: Date, required: true },
    /** credit-note/<invoiceId>/<the operator's idempotency key> */
    key: { type: String, required: true },
    series: { type: String, required: true },
    sequence: { type: Number, required: true },
    number: { type: String, required: true },
    ettn: { type: String, required: true },
    currency: { type: String, required: true },
    /** the credited part of each invoice line, with the invoice line's index */
    lines: { type: [invoiceLineSchema], default: [] },
    lineIndexes: { type: [Number], default: [] },
    subtotal: { type: moneySchema, required: true },
    taxRateBasisPoints: { type: Number, required: true },
    tax: { type: moneySchema, required: true },
    total: { type: moneySchema, required: true },
    /** the invoice's rate, so the credit reverses the TRY amounts the invoice declared */
    exchangeRate: { type: new Schema({ rate: String, source: String, at: Date }, { _id: false }), default: null },
    customer: {
      type: new Schema({ name: { type: String, required: true }, customerCode: { type: String, default: null }, buyer: { type: invoiceBuyerSchema, default: null } }, { _id: false }),
      default: null,
    },
    issued: { type: correctionActSchema, required: true },
    issuedAt: { type: Date, required: true },
  },
  { timestamps: true, collection: 'credit_notes' },
);
creditNoteSchema.index({ number: 1 }, { unique: true });
creditNoteSchema.index({ key: 1 }, { unique: true });
creditNoteSchema.index({ series: 1, sequence: -1 }, { unique: true });
creditNoteSchema.index({ invoiceId: 1, _id: 1 });

export const REFUND_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED', 'UNKNOWN'] as const;

/**
 * A refund of (part of) an invoice's card payment through the payment
 * provider. The key is unique: one request of the operator is one refund at
 * the provider, however often it is sent.
 */
const refundSchema = new Schema(
  {
    organizationId: { type: String, required: true },
    invoiceId: { type: Schema.Types.ObjectId, required: true },
    /** refund/<invoiceId>/<the operator's idempotency key>; also the provider's idempotency key */
    key: { type: String, required: true },
    provider: { type: String, required: true },
    providerPaymentId: { type: String, required: true },
    amount: { type: moneySchema, required: true },
    status: { type: String, enum: REFUND_STATUSES, required: true },
    /** CANCEL (the whole payment, the day it was made) or REFUND, as the provider did it */
    method: { type: String, default: null },
    providerRefundId: { type: String, default: null },
    failureCode: { type: String, default: null },
    requested: { type: correctionActSchema, required: true },
    settledAt: { type: Date, default: null },
  },
  { timestamps: true, collection: 'refunds' },
);
refundSchema.index({ key: 1 }, { unique: true });
refundSchema.index({ invoiceId: 1, _id: 1 });

/** ACC-10 for billing's own corrections: who did what to which invoice, and why. Inserted, never updated. */
const billingAuditSchema = new Schema(
  {
    action: { type: String, required: true },
    organizationId: { type: String, required: true },
    invoiceId: { type: Schema.Types.ObjectId, required: true },
    targetId: { type: String, required: true },
    actorId: { type: String, required: true },
    actorRoles: { type: [String], default: [] },
    reason: { type: String, required: true },
    detail: { type: Schema.Types.Mixed, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'billing_audit_entries' },
);
billingAuditSchema.index({ invoiceId: 1, _id: 1 });
billingAuditSchema.index({ action: 1, targetId: 1 }, { unique: true });

export type CreditNoteDoc = WithId<InferSchemaType<typeof creditNoteSchema>>;
export type RefundDoc = WithId<InferSchemaType<typeof refundSchema>>;
export type BillingAuditDoc = WithId<InferSchemaType<typeof billingAuditSchema>>;
export { billingAuditSchema, creditNoteSchema, refundSchema };
