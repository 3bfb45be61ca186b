import type { BillingModels, CouponDoc, SubscriptionDiscount, SubscriptionDoc } from '../models/index.ts';
import { discountedPeriods, redemptionProblem, type CouponTerms } from './discount.ts';

/** Promo codes are matched without regard to case or surrounding spaces. */
export function normalisePromoCode(code: string): string {
  return code.trim().toUpperCase();
}

export type RedemptionRefusal = 'UNKNOWN' | 'INACTIVE' | 'EXPIRED' | 'EXHAUSTED' | 'NOT_FOR_PLAN' | 'NOT_IN_CURRENCY' | 'ALREADY_REDEEMED';

export interface Redemption {
  coupon: CouponDoc;
  discount: SubscriptionDiscount;
}

/** The coupon's terms as a subscription keeps them. */
export function frozenDiscount(coupon: CouponDoc, source: 'SIGN_UP' | 'SUBSCRIBE', at: Date): SubscriptionDiscount {
  return {
    couponId: coupon._id,
    code: coupon.code,
    percentOffBasisPoints: coupon.percentOffBasisPoints ?? null,
    amountsOff: coupon.amountsOff.map((a) => ({ amountMinor: a.amountMinor, currency: a.currency })),
    duration: coupon.duration,
    durationPeriods: coupon.durationPeriods ?? null,
    source,
    appliedAt: at,
  } as SubscriptionDiscount;
}

export function couponTerms(discount: Pick<SubscriptionDiscount, 'code' | 'percentOffBasisPoints' | 'amountsOff' | 'duration' | 'durationPeriods'>): CouponTerms {
  return {
    code: discount.code,
    percentOffBasisPoints: discount.percentOffBasisPoints ?? null,
    amountsOff: discount.amountsOff.map((a) => ({ amountMinor: a.amountMinor, currency: a.currency })),
    duration: discount.duration as CouponTerms['duration'],
    durationPeriods: discount.durationPeriods ?? null,
  };
}

/** "20 % off for 3 periods", for the subscription's history. */
export function discountSummary(terms: CouponTerms, currency: string): string {
  const amount = terms.amountsOff.find((a) => a.currency === currency);
  const what = terms.percentOffBasisPoints !== null ? `${terms.percentOffBasisPoints / 100} % off` : `${amount?.amountMinor ?? 0} ${currency} minor units off`;
  const periods = discountedPeriods(terms);
  const when = terms.duration === 'FOREVER' ? 'every period' : periods === 1 ? '1 period' : `${periods} periods`;
  return `${terms.code}: ${what} for ${when}`;
}

/**
 * Redeems the coupon behind `code` for the organisation: one guarded update
 * that takes one of the remaining redemptions (if limited) and records the
 * organisation, each only while the coupon is active, unexpired, not yet
 * used by it and not exhausted. No multi-document transaction: either this
 * document changed, or nothing did.
 */
export async function redeemCoupon(
  models: BillingModels,
  request: { code: string; organizationId: string; planCode: string; currency: string; now: Date },
): Promise<{ coupon: CouponDoc } | { refusal: RedemptionRefusal }> {
  const coupon = await models.Coupon.findOne({ code: normalisePromoCode(request.code) }).lean<CouponDoc>();
  if (!coupon) return { refusal: 'UNKNOWN' };
  const problem = redemptionProblem({ ...coupon, percentOffBasisPoints: coupon.percentOffBasisPoints ?? null, planCodes: coupon.planCodes ?? null, remaining: coupon.remaining ?? null, expiresAt: coupon.expiresAt ?? null }, request);
  if (problem) return { refusal: problem };
  if (coupon.redeemedBy.includes(request.organizationId)) return { refusal: 'ALREADY_REDEEMED' };
  const limited = coupon.maxRedemptions !== null && coupon.maxRedemptions !== undefined;
  const redeemed = await models.Coupon.findOneAndUpdate(
    {
      _id: coupon._id,
      active: true,
      redeemedBy: { $ne: request.organizationId },
      remaining: limited ? { $gt: 0 } : null,
      $or: [{ expiresAt: null }, { expiresAt: { $gt: request.now } }],
    },
    {
      $inc: limited ? { remaining: -1, redemptionCount: 1 } : { redemptionCount: 1 },
      $push: { redeemedBy: request.organizationId },
    },
    { returnDocument: 'after' },
  ).lean<CouponDoc>();
  if (redeemed) return { coupon: redeemed };
  // Lost a race: the last redemption went to someone else, or this organisation's other request won.
  const now = await models.Coupon.findById(coupon._id).lean<CouponDoc>();
  return { refusal: now?.redeemedBy.includes(request.organizationId) ? 'ALREADY_REDEEMED' : 'EXHAUSTED' };
}

/** Gives a redemption back (the subscription it was for could not be created). */
export async function releaseRedemption(models: BillingModels, couponId: CouponDoc['_id'], organizationId: string): Promise<void> {
  const coupon = await models.Coupon.findById(couponId, { maxRedemptions: 1 }).lean<CouponDoc>();
  if (!coupon) return;
  const limited = coupon.maxRedemptions !== null && coupon.maxRedemptions !== undefined;
  await models.Coupon.updateOne(
    { _id: couponId, redeemedBy: organizationId },
    { $inc: limited ? { remaining: 1, redemptionCount: -1 } : { redemptionCount: -1 }, $pull: { redeemedBy: organizationId } },
  );
}

/**
 * The organisation's sign-up promo code, applied when its subscription is
 * created (the subscription workflow's first run asks for it). Idempotent: a
 * retry after a crash finds the redemption and finishes attaching it. A code
 * already used on another of the organisation's subscriptions is skipped; a
 * code that is not valid is noted in the subscription's history.
 */
export async function applySignUpPromoCode(models: BillingModels, input: { subscriptionId: string; code: string; at: Date }): Promise<{ applied: boolean }> {
  const subscription = await models.Subscription.findById(input.subscriptionId).lean<SubscriptionDoc>();
  if (!subscription) return { applied: false };
  if (subscription.discount) return { applied: normalisePromoCode(input.code) === subscription.discount.code };
  const { organizationId } = subscription;
  const existing = await models.Coupon.findOne({ code: normalisePromoCode(input.code) }).lean<CouponDoc>();
  let coupon: CouponDoc | null = null;
  if (existing?.redeemedBy.includes(organizationId)) {
    // Redeemed by this organisation: for another subscription (then skip), or by this request before a crash.
    if (await models.Subscription.exists({ organizationId, 'discount.couponId': existing._id })) return { applied: false };
    coupon = existing;
  } else {
    const result = await redeemCoupon(models, { code: input.code, organizationId, planCode: subscription.planCode, currency: subscription.currency, now: input.at });
    if ('refusal' in result) {
      await pushHistory(models, subscription, { type: 'PROMO_CODE_NOT_APPLIED', detail: `sign-up promo code ${normalisePromoCode(input.code)} is not valid (${result.refusal})`, at: input.at });
      return { applied: false };
    }
    coupon = result.coupon;
  }
  return attachDiscount(models, subscription, frozenDiscount(coupon, 'SIGN_UP', input.at));
}

/** Sets the discount on a subscription that has none, and records it in its history. */
export async function attachDiscount(models: BillingModels, subscription: SubscriptionDoc, discount: SubscriptionDiscount): Promise<{ applied: boolean }> {
  const detail = discountSummary(couponTerms(discount), subscription.currency);
  const updated = await models.Subscription.updateOne(
    { _id: subscription._id, discount: null },
    { $set: { discount }, $push: { history: { at: discount.appliedAt, type: 'COUPON_APPLIED', detail, status: null } } },
  );
  if (updated.modifiedCount === 0) {
    const current = await models.Subscription.findById(subscription._id, { discount: 1 }).lean<SubscriptionDoc>();
    if (current?.discount?.couponId.equals(discount.couponId)) return { applied: true };
    await releaseRedemption(models, discount.couponId, subscription.organizationId);
    return { applied: false };
  }
  return { applied: true };
}

async function pushHistory(models: BillingModels, subscription: SubscriptionDoc, event: { type: string; detail: string; at: Date }): Promise<void> {
  const eventKey = `${event.type}@${event.at.toISOString()}`;
  await models.Subscription.updateOne(
    { _id: subscription._id, eventKeys: { $ne: eventKey } },
    { $push: { history: { at: event.at, type: event.type, detail: event.detail, status: null }, eventKeys: eventKey } },
  );
}
