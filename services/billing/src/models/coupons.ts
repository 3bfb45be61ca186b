import { Schema, type InferSchemaType } from 'mongoose';
import { COUPON_DURATIONS } from '../coupons/discount.ts';
import { moneySchema, type WithId } from './common.ts';

/**
 * A coupon and its customer-facing promo code (issue 15). Redemption is one
 * guarded update of this document: `remaining` (null: no limit) only goes
 * down while above zero, and `redeemedBy` takes each organisation once, so
 * concurrent redemptions can neither pass the limit nor count twice.
 */
const couponSchema = new Schema(
  {
    /** the promo code, upper case */
    code: { type: String, required: true },
    name: { type: String, required: true },
    percentOffBasisPoints: { type: Number, default: null },
    amountsOff: { type: [moneySchema], default: [] },
    duration: { type: String, enum: COUPON_DURATIONS, required: true },
    durationPeriods: { type: Number, default: null },
    /** null or empty: every plan */
    planCodes: { type: [String], default: null },
    maxRedemptions: { type: Number, default: null },
    remaining: { type: Number, default: null },
    redemptionCount: { type: Number, default: 0 },
    redeemedBy: { type: [String], default: [] },
    expiresAt: { type: Date, default: null },
    active: { type: Boolean, default: true },
    createdBy: { type: String, default: null },
    deactivatedAt: { type: Date, default: null },
    deactivatedBy: { type: String, default: null },
  },
  { timestamps: true, collection: 'coupons' },
);
couponSchema.index({ code: 1 }, { unique: true });

/** The coupon's terms frozen on a subscription when it was redeemed: later changes to the coupon do not touch it. */
export const subscriptionDiscountSchema = new Schema(
  {
    couponId: { type: Schema.Types.ObjectId, required: true },
    code: { type: String, required: true },
    percentOffBasisPoints: { type: Number, default: null },
    amountsOff: { type: [moneySchema], default: [] },
    duration: { type: String, enum: COUPON_DURATIONS, required: true },
    durationPeriods: { type: Number, default: null },
    /** SIGN_UP (the organisation's promo code from sign-up) or SUBSCRIBE */
    source: { type: String, required: true },
    appliedAt: { type: Date, required: true },
  },
  { _id: false },
);

export type CouponDoc = WithId<InferSchemaType<typeof couponSchema>>;
export type SubscriptionDiscount = InferSchemaType<typeof subscriptionDiscountSchema>;
export { couponSchema };
