import { Schema, type InferSchemaType } from 'mongoose';
import { moneySchema, type WithId } from './common.ts';

export const INVOICE_STATUSES = ['DRAFT', 'OPEN', 'PAID', 'VOID', 'UNCOLLECTIBLE'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
/**
 * PREPAID_APPLIED: a credit, after KDV, of what the prepaid balance already paid [004 §6.2].
 * DISCOUNT: a coupon's reduction of the plan and add-ons, before KDV (negative amount).
 */
export const INVOICE_LINE_KINDS = ['PLAN', 'ADD_ON', 'USAGE', 'ONE_OFF_FEE', 'LATE_INTEREST', 'LATE_FEE', 'STAMP_DUTY', 'PREPAID_APPLIED', 'DISCOUNT'] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

const lineSchema = new Schema(
  {
    kind: { type: String, enum: INVOICE_LINE_KINDS, required: true },
    code: { type: String, required: true },
    description: { type: String, required: true },
    quantity: { type: Number, required: true },
    /** unit price in millionths of the major unit, so sub-cent rates stay exact */
    unitAmountMicros: { type: Number, required: true },
    amount: { type: moneySchema, required: true },
  },
  { _id: false },
);

const addressSchema = new Schema(
  { line1: String, line2: String, district: String, city: String, postalCode: String, country: String },
  { _id: false },
);

/** The buyer's legal identity as printed (VUK art. 230): kept with the invoice for its legal period (CON-6). */
const buyerSchema = new Schema(
  {
    customerType: { type: String, required: true },
    legalName: { type: String, required: true },
    taxId: { type: String, default: null },
    taxOffice: { type: String, default: null },
    nationalId: { type: String, default: null },
    address: { type: addressSchema, default: null },
  },
  { _id: false },
);

const statusChangeSchema = new Schema(
  { from: { type: String, default: null }, to: { type: String, required: true }, at: { type: Date, required: true }, reason: { type: String, default: null } },
  { _id: false },
);

/** Who made a correction, when and why (ACC-10: every operator action is audited). */
const correctionActSchema = new Schema(
  { actorId: { type: String, required: true }, actorRoles: { type: [String], default: [] }, reason: { type: String, required: true }, at: { type: Date, required: true } },
  { _id: false },
);
const creditHoldSchema = new Schema(
  {
    key: { type: String, required: true },
    /** the request as normalised, so a repeated key with other parameters is refused */
    request: { type: String, required: true },
    lines: { type: [new Schema({ index: { type: Number, required: true }, amountMinor: { type: Number, required: true } }, { _id: false })], default: [] },
    taxMinor: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);
const refundHoldSchema = new Schema(
  { key: { type: String, required: true }, request: { type: String, required: true }, amountMinor: { type: Number, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

/**
 * An invoice (BIL-8). Its number exists only once the invoice does: numbers
 * are taken by inserting the invoice with the next sequence of its series,
 * under a unique index, so there are no gaps and no duplicates.
 */
const invoiceSchema = new Schema(
  {
    organizationId: { type: String, required: true },
    /** the buyer as printed, frozen at issue */
    customer: {
      type: new Schema({ name: { type: String, required: true }, customerCode: { type: String, default: null }, buyer: { type: buyerSchema, default: null } }, { _id: false }),
      default: null,
    },
    /** ETTN: the e-invoice's UUID, fixed at issue so every UBL-TR download is the same document */
    ettn: { type: String, default: null },
    /** for foreign-currency invoices, TRY per unit of `currency` used at issue (PricingExchangeRate), with its source */
    /** the last hand-over to the e-invoice integrator (issue 15) */
    eInvoice: {
      type: new Schema(
        { integrator: String, profile: String, status: String, reference: String, detail: { type: String, default: null }, sentAt: Date },
        { _id: false },
      ),
      default: null,
    },
    exchangeRate: { type: new Schema({ rate: { type: String, required: true }, source: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false }), default: null },
    subscriptionId: { type: Schema.Types.ObjectId, default: null },
    periodIndex: { type: Number, default: null },
    /** idempotency key of the issue, e.g. subscription/<id>/period/<n> */
    key: { type: String, required: true },
    series: { type: String, required: true }, // prefix + year, e.g. OMR2026
    sequence: { type: Number, required: true },
    number: { type: String, required: true },
    status: { type: String, enum: INVOICE_STATUSES, required: true },
    currency: { type: String, required: true },
    lines: { type: [lineSchema], default: [] },
    subtotal: { type: moneySchema, required: true },
    taxRateBasisPoints: { type: Number, required: true },
    tax: { type: moneySchema, required: true },
    total: { type: moneySchema, required: true },
    collectionMethod: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    paidAt: { type: Date, default: null },
    paymentReference: { type: String, default: null },
    /** the later invoice that billed this one's late interest and fee */
    lateChargesBilledOn: { type: Schema.Types.ObjectId, default: null },
    statusHistory: { type: [statusChangeSchema], default: [] },
    /**
     * CON-6: set when the buyer's personal data was to be erased. The invoice is
     * kept for its legal period (VUK 253, TTK 82) with access limited to billing
     * operators, and its buyer is anonymised by periodic destruction after retainUntil.
     */
    restrictedAt: { type: Date, default: null },
    retainUntil: { type: Date, default: null },
    /**
     * Corrections (issue 15), held on the invoice so that one conditional
     * update (on correctionVersion) decides what is still creditable or
     * refundable: each credit note's lines and KDV, each refund's amount
     * (reserved before the provider is asked, released if it fails).
     */
    credits: { type: [creditHoldSchema], default: [] },
    refundHolds: { type: [refundHoldSchema], default: [] },
    correctionVersion: { type: Number, default: 0 },
    /** who voided the invoice, when and why (its number stays used) */
    voided: { type: correctionActSchema, default: null },
  },
  { timestamps: true, collection: 'invoices' },
);
invoiceSchema.index({ number: 1 }, { unique: true });
invoiceSchema.index({ key: 1 }, { unique: true });
invoiceSchema.index({ series: 1, sequence: -1 }, { unique: true });
invoiceSchema.index({ organizationId: 1, _id: -1 });
// Issuing an invoice reads back the paid-late invoices it claimed (issue 16: no collection scan per renewal).
invoiceSchema.index({ lateChargesBilledOn: 1 });
// Issuing asks whether the subscription has an invoice yet (its first one adds one-off fees and stamp duty) and counts its discounted ones.
invoiceSchema.index({ subscriptionId: 1, periodIndex: 1 });

export type InvoiceDoc = WithId<InferSchemaType<typeof invoiceSchema>>;
export type InvoiceLine = InferSchemaType<typeof lineSchema>;
export type CorrectionAct = InferSchemaType<typeof correctionActSchema>;
export { correctionActSchema, invoiceSchema, lineSchema as invoiceLineSchema, buyerSchema as invoiceBuyerSchema };
