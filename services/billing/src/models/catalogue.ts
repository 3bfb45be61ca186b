import { Schema, type InferSchemaType } from 'mongoose';
import { COLLECTION_METHODS, LATE_INTEREST_ACCRUALS, LICENSED_RESOURCE_KINDS, RESOURCE_HOLD_STARTS, TRIAL_END_ACTIONS } from '../lifecycle/index.ts';
import { microPriceSchema, moneySchema, type WithId } from './common.ts';

/**
 * A contract policy version (SPEC §1). Versions are immutable: a change is a
 * new version with the same code, pinned by subscriptions from their next period.
 */
const policySchema = new Schema(
  {
    code: { type: String, required: true },
    version: { type: Number, required: true },
    name: { type: String, required: true },
    seedReference: { type: String, default: null },
    trialPeriod: { type: String, default: null },
    trialRequiresPaymentMethod: { type: Boolean, required: true },
    trialEndAction: { type: String, enum: TRIAL_END_ACTIONS, default: 'CONVERT' },
    trialPlanCode: { type: String, default: null },
    oneTrialPerOrganization: { type: Boolean, default: false },
    billingPeriod: { type: String, required: true },
    collectionMethod: { type: String, enum: COLLECTION_METHODS, required: true },
    paymentDueAfter: { type: String, default: null },
    paymentDueInBusinessDays: { type: Boolean, default: false },
    advanceRequiresPaymentMethod: { type: Boolean, default: false },
    advancePeriodStartsOnPayment: { type: Boolean, default: false },
    maxCollectionAttempts: { type: Number, required: true },
    retryInterval: { type: String, required: true },
    suspendAfter: { type: String, default: null },
    terminateAfter: { type: String, default: null },
    terminationNotice: { type: String, default: null },
    dataDeletionAfterTermination: { type: String, required: true },
    dataDeletionAfterCancellation: { type: String, default: null },
    resourceHoldPeriod: { type: String, default: null },
    resourceHoldAfterCancellation: { type: String, default: null },
    resourceHoldStartsAt: { type: String, enum: RESOURCE_HOLD_STARTS, default: 'END' },
    licensedResourceLimits: {
      type: [new Schema({ kind: { type: String, enum: LICENSED_RESOURCE_KINDS, required: true }, max: { type: Number, required: true } }, { _id: false })],
      default: [],
    },
    cancellationNotice: { type: String, required: true },
    termsChangeNotice: { type: String, required: true },
    lateFeeGrace: { type: String, default: 'PT0S' },
    lateInterestMonthlyBasisPoints: { type: Number, default: null },
    lateInterestAccrual: { type: String, enum: LATE_INTEREST_ACCRUALS, default: 'PER_STARTED_DAY' },
    lateFees: { type: [moneySchema], default: [] },
    firstInvoiceStampDutyPpm: { type: Number, default: null },
    createdBy: { type: String, default: null },
  },
  { timestamps: true, collection: 'contract_policies' },
);
policySchema.index({ code: 1, version: -1 }, { unique: true });

const addOnSchema = new Schema(
  { code: { type: String, required: true }, name: { type: String, required: true }, prices: { type: [moneySchema], default: [] } },
  { _id: false },
);

/** A metered charge (BIL-9): `includedQuantity` per period, then `unitPrices` per unit; prepaid meters draw on the balance. */
const meterSchema = new Schema(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    unit: { type: String, required: true },
    includedQuantity: { type: Number, default: 0 },
    unitPrices: { type: [microPriceSchema], default: [] },
    prepaid: { type: Boolean, default: false },
  },
  { _id: false },
);

const oneOffFeeSchema = new Schema(
  { code: { type: String, required: true }, name: { type: String, required: true }, prices: { type: [moneySchema], default: [] } },
  { _id: false },
);

/** A plan version (BIL-1). Price changes are new versions, applied from each subscription's next period. */
const planSchema = new Schema(
  {
    code: { type: String, required: true },
    version: { type: Number, required: true },
    name: { type: String, required: true },
    policyCode: { type: String, required: true },
    prices: { type: [moneySchema], default: [] },
    addOns: { type: [addOnSchema], default: [] },
    meters: { type: [meterSchema], default: [] },
    oneOffFees: { type: [oneOffFeeSchema], default: [] },
    /** the prepaid balance a customer must keep for prepaid meters, per currency [004 §6.2] */
    prepaidMinimums: { type: [moneySchema], default: [] },
    active: { type: Boolean, default: true },
    createdBy: { type: String, default: null },
  },
  { timestamps: true, collection: 'plans' },
);
planSchema.index({ code: 1, version: -1 }, { unique: true });

export type PolicyDoc = WithId<InferSchemaType<typeof policySchema>>;
export type PlanDoc = WithId<InferSchemaType<typeof planSchema>>;
export { planSchema, policySchema };
