import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { ErrorCode, isDuplicateKeyError, isEntityId, requireOperator, userErrorsFromZod, withId, type Locale } from '@omurga/shared';
import { COUPON_DURATIONS } from '../coupons/discount.ts';
import { normalisePromoCode } from '../coupons/redeem.ts';
import { MAX_PRICE_MINOR } from '../input-bounds.ts';
import { t } from '../messages.ts';
import type { CouponDoc } from '../models/index.ts';
import { SUPPORTED_CURRENCIES } from '../money.ts';
import type { BillingDeps, Ctx } from './deps.ts';

const MAX_LISTED = 500;

const code = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/, { message: 'INVALID_CODE' });
const couponInput = z
  .object({
    code,
    name: z.string().trim().min(1).max(200),
    percentOffBasisPoints: z.number().int().min(1, { message: 'MUST_BE_POSITIVE' }).max(10_000, { message: 'TOO_LARGE' }).nullish(),
    amountsOff: z
      .array(z.object({ currency: z.enum(SUPPORTED_CURRENCIES, { message: 'UNSUPPORTED_CURRENCY' }), amountMinor: z.number().int().min(1, { message: 'MUST_BE_POSITIVE' }).max(MAX_PRICE_MINOR, { message: 'TOO_LARGE' }) }))
      .refine((list) => new Set(list.map((a) => a.currency)).size === list.length, { message: 'DUPLICATE_CODE' })
      .nullish(),
    duration: z.enum(COUPON_DURATIONS),
    durationPeriods: z.number().int().min(1, { message: 'MUST_BE_POSITIVE' }).max(1_000, { message: 'TOO_LARGE' }).nullish(),
    planCodes: z.array(code).max(100, { message: 'TOO_LARGE' }).nullish(),
    maxRedemptions: z.number().int().min(1, { message: 'MUST_BE_POSITIVE' }).max(10_000_000, { message: 'TOO_LARGE' }).nullish(),
    expiresAt: z.date().nullish(),
  })
  .superRefine((input, ctx) => {
    const amounts = input.amountsOff?.length ?? 0;
    if ((input.percentOffBasisPoints == null) === (amounts === 0)) ctx.addIssue({ code: 'custom', path: ['percentOffBasisPoints'], message: 'COUPON_PERCENT_OR_AMOUNT' });
    if ((input.duration === 'REPEATING') !== (input.durationPeriods != null)) ctx.addIssue({ code: 'custom', path: ['durationPeriods'], message: 'COUPON_PERIODS_FOR_REPEATING' });
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'COUPON_EXPIRY_IN_PAST' });
  });

function reject(locale: Locale, problems: { code: string; field: string[] | null; message: string }[]): never {
  throw new GraphQLError(problems.map((p) => `${p.field?.join('.')}: ${p.message}`).join('; '), {
    extensions: { code: ErrorCode.BAD_USER_INPUT, userErrors: problems },
  });
}

/** Issue 15: billing operators create, list and deactivate coupons (their promo codes). */
export function couponResolvers({ models }: BillingDeps) {
  return {
    Query: {
      coupons: async (_: unknown, { active }: { active?: boolean | null }, ctx: Ctx) => {
        requireOperator(ctx, 'BILLING_ADMIN');
        const filter = active == null ? {} : { active };
        return (await models.Coupon.find(filter).sort({ _id: -1 }).limit(MAX_LISTED).lean<CouponDoc[]>()).map(withId);
      },
    },
    Mutation: {
      createCoupon: async (_: unknown, { input }: { input: unknown }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'BILLING_ADMIN');
        const parsed = couponInput.safeParse(input);
        if (!parsed.success) reject(ctx.locale, userErrorsFromZod(parsed.error, t, ctx.locale, ['input']));
        const c = parsed.data;
        try {
          const created = await models.Coupon.create({
            code: normalisePromoCode(c.code),
            name: c.name,
            percentOffBasisPoints: c.percentOffBasisPoints ?? null,
            amountsOff: c.amountsOff ?? [],
            duration: c.duration,
            durationPeriods: c.duration === 'REPEATING' ? c.durationPeriods : null,
            planCodes: c.planCodes?.length ? c.planCodes : null,
            maxRedemptions: c.maxRedemptions ?? null,
            remaining: c.maxRedemptions ?? null,
            expiresAt: c.expiresAt ?? null,
            createdBy: operator.userId,
          });
          return withId(created.toObject());
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          reject(ctx.locale, [{ code: 'COUPON_CODE_TAKEN', field: ['input', 'code'], message: t('COUPON_CODE_TAKEN', ctx.locale) }]);
        }
      },
      deactivateCoupon: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'BILLING_ADMIN');
        if (!isEntityId(id)) reject(ctx.locale, [{ code: 'COUPON_NOT_FOUND', field: ['id'], message: t('COUPON_NOT_FOUND', ctx.locale) }]);
        // Subscriptions that already redeemed it keep their discount; no new redemption from now on.
        const updated =
          (await models.Coupon.findOneAndUpdate({ _id: id, active: true }, { $set: { active: false, deactivatedAt: new Date(), deactivatedBy: operator.userId } }, { returnDocument: 'after' }).lean<CouponDoc>()) ??
          (await models.Coupon.findById(id).lean<CouponDoc>());
        if (!updated) reject(ctx.locale, [{ code: 'COUPON_NOT_FOUND', field: ['id'], message: t('COUPON_NOT_FOUND', ctx.locale) }]);
        return withId(updated);
      },
    },
    Coupon: {
      planCodes: (c: CouponDoc) => c.planCodes ?? [],
    },
  };
}

/** The one answer to any promo code that cannot be used: whether it exists, expired or ran out is not revealed. */
export function promoCodeNotValid(locale: Locale): GraphQLError {
  const message = t('PROMO_CODE_NOT_VALID', locale);
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, userErrors: [{ code: 'PROMO_CODE_NOT_VALID', field: ['input', 'promoCode'], message }] },
  });
}
