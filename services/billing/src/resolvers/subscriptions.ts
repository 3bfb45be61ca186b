import { WorkflowNotFoundError } from '@temporalio/client';
import { canAccessOrganization, isEntityId, requireAuthenticated, requireOrganizationAccess, withId } from '@omurga/shared';
import { ENDED_SUBSCRIPTION_STATUSES, SUBSCRIPTION_QUERIES, SUBSCRIPTION_SIGNALS, subscriptionWorkflowId, type LifecycleEvent, type SubscriptionStatus } from '../workflows/contracts.ts';
import { currentPlanAndPolicy } from '../activities.ts';
import { decide, upcoming, type LifecycleEvent as CoreEvent, type LifecycleState } from '../lifecycle/index.ts';
import type { SubscriptionDoc } from '../models/index.ts';
import { priceIn } from '../money.ts';
import { frozenDiscount, redeemCoupon, releaseRedemption } from '../coupons/redeem.ts';
import { savePaymentMethod } from '../payments/payment-method.ts';
import { checkSubscriptionStart, type SubscriptionOrder } from '../subscription-start.ts';
import { openSubscription } from '../open-subscription.ts';
import { promoCodeNotValid } from './coupons.ts';
import { paymentTokenProblem } from '../payments/payment-tokens.ts';
import { noticeFreeCancellationUntil, requestCancellation, schedulePlanChange } from '../subscription-requests.ts';
import { BILLING_WRITE_ACCESS, type BillingDeps, type Ctx } from './deps.ts';
import { failure } from './payloads.ts';

/** Statuses after which nothing more happens to a subscription. */
const FINAL = ENDED_SUBSCRIPTION_STATUSES;

export function subscriptionResolvers({ models, temporal, paymentProvider }: BillingDeps) {
  const workflow = (subscriptionId: string) => temporal.workflow.getHandle(subscriptionWorkflowId(subscriptionId));

  async function signal(subscriptionId: string, name: string, payload?: unknown) {
    await workflow(subscriptionId).signal(name, ...(payload === undefined ? [] : [payload]));
  }

  /** The subscription, if the caller may change it; otherwise a not-found that reveals nothing. */
  async function writableSubscription(id: string, ctx: Ctx): Promise<SubscriptionDoc | null> {
    requireAuthenticated(ctx);
    if (!isEntityId(id)) return null;
    const subscription = await models.Subscription.findById(id).lean<SubscriptionDoc>();
    if (!subscription || !canAccessOrganization(ctx, subscription.organizationId)) return null;
    requireOrganizationAccess(ctx, subscription.organizationId, BILLING_WRITE_ACCESS);
    return subscription;
  }

  /** The lifecycle core's state as the workflow holds it, or null when the workflow has ended. */
  async function lifecycleState(subscriptionId: string): Promise<LifecycleState | null> {
    try {
      return await workflow(subscriptionId).query<LifecycleState>(SUBSCRIPTION_QUERIES.state);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || (error as Error).name === 'QueryNotRegisteredError') return null;
      throw error;
    }
  }

  /**
   * Read your writes: the subscription with the lifecycle state the request
   * caused, as the core decides it on the workflow's state (the event is
   * idempotent there, so it does not matter whether the workflow has taken
   * the signal yet). `upcoming` is projected from it.
   */
  async function answer(subscription: SubscriptionDoc, event: CoreEvent) {
    const state = await lifecycleState(subscription._id.toString());
    const lifecycle = state ? decide(state, event, Date.now()).state : null;
    return { subscription: { ...withId(subscription), ...(lifecycle ? { lifecycle } : {}) }, userErrors: [] };
  }

  const tokenProblem = paymentTokenProblem;
  const storePaymentMethod = (organizationId: string, token: string) => savePaymentMethod(models, temporal, { organizationId, provider: paymentProvider, token });

  return {
    Query: {
      subscription: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        if (!isEntityId(id)) return null;
        const subscription = await ctx.loaders.subscription.load(id);
        // Someone else's subscription looks exactly like a missing one: no enumeration.
        if (!subscription || !canAccessOrganization(ctx, subscription.organizationId)) return null;
        return withId(subscription);
      },
    },
    Mutation: {
      setPaymentMethod: async (_: unknown, args: { organizationId: string; paymentMethodToken: string }, ctx: Ctx) => {
        requireOrganizationAccess(ctx, args.organizationId, BILLING_WRITE_ACCESS);
        const problem = tokenProblem(args.paymentMethodToken);
        if (problem) return { ok: false, ...failure(ctx.locale, problem, ['paymentMethodToken']) };
        // Live subscriptions retry an overdue charge at once with the new method (BIL-6).
        await storePaymentMethod(args.organizationId, args.paymentMethodToken);
        return { ok: true, userErrors: [] };
      },

      startSubscription: async (_: unknown, { input }: { input: StartInput }, ctx: Ctx) => {
        requireOrganizationAccess(ctx, input.organizationId, BILLING_WRITE_ACCESS);
        const { locale } = ctx;
        const account = await models.BillingAccount.findById(input.organizationId).lean();
        const hasPaymentMethod = Boolean(input.paymentMethodToken || account?.paymentMethod);
        const checked = await checkSubscriptionStart(models, input, {
          hasPaymentMethod,
          tokenProblem: input.paymentMethodToken ? tokenProblem(input.paymentMethodToken) : null,
          field: ['input', 'paymentMethodToken'],
        });
        if (!checked.ok) return failure(locale, checked.code, checked.field, checked.params);
        const { plan, policy } = checked;
        const now = new Date();
        const promoCode = input.promoCode?.trim();
        let coupon = null;
        if (promoCode) {
          // Redeemed before the subscription exists, so a code used up meanwhile is refused, not over-redeemed.
          const redeemed = promoCode.length <= 64 ? await redeemCoupon(models, { code: promoCode, organizationId: input.organizationId, planCode: plan.code, currency: input.currency, now }) : null;
          if (!redeemed || 'refusal' in redeemed) throw promoCodeNotValid(locale);
          coupon = redeemed.coupon;
        }
        if (input.paymentMethodToken) await storePaymentMethod(input.organizationId, input.paymentMethodToken);

        const principal = requireAuthenticated(ctx);
        const created = await openSubscription(models, temporal, {
          organizationId: input.organizationId,
          plan,
          policy,
          currency: input.currency,
          addOns: input.addOns ?? [],
          oneOffFees: input.oneOffFees ?? [],
          hasPaymentMethod,
          startedBy: 'userId' in principal ? principal.userId : null,
          now,
          discount: coupon ? frozenDiscount(coupon, 'SUBSCRIBE', now) : null,
        }).catch(async (error: unknown) => {
          if (coupon) await releaseRedemption(models, coupon._id, input.organizationId);
          throw error;
        });
        return { subscription: withId(created), userErrors: [] };
      },

      cancelSubscription: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        const subscription = await writableSubscription(id, ctx);
        if (!subscription) return failure(ctx.locale, 'SUBSCRIPTION_NOT_FOUND', ['id']);
        if (FINAL.includes(subscription.status as SubscriptionStatus)) return failure(ctx.locale, 'SUBSCRIPTION_ENDED', ['id']);
        const requestedAt = new Date();
        const { subscription: updated } = await requestCancellation(models, temporal, subscription, requestedAt);
        // The end stored is the core's own rule; an end at the current period is what a waived or met notice both give.
        const endsCurrent = updated.cancelEffectiveAt?.getTime() === updated.currentPeriodEnd?.getTime();
        return answer(updated, { type: 'CANCEL_REQUESTED', requestedAt: requestedAt.toISOString(), noticeWaived: endsCurrent });
      },

      changePlan: async (_: unknown, { id, planCode }: { id: string; planCode: string }, ctx: Ctx) => {
        const subscription = await writableSubscription(id, ctx);
        if (!subscription) return failure(ctx.locale, 'SUBSCRIPTION_NOT_FOUND', ['id']);
        if (FINAL.includes(subscription.status as SubscriptionStatus)) return failure(ctx.locale, 'SUBSCRIPTION_ENDED', ['id']);
        const target = await currentPlanAndPolicy(models, planCode);
        if (!target || !target.plan.active) return failure(ctx.locale, 'PLAN_NOT_FOUND', ['planCode']);
        if (!priceIn(target.plan.prices, subscription.currency)) {
          return failure(ctx.locale, 'NO_PRICE_IN_CURRENCY', ['planCode'], { currency: subscription.currency });
        }
        // During a trial, choosing its own plan is the decision to subscribe [003 §7.2.2], not a change.
        if (planCode === subscription.planCode && !subscription.pendingPlanCode && subscription.status !== 'TRIALING') return failure(ctx.locale, 'SAME_PLAN', ['planCode']);
        const updated = await schedulePlanChange(models, temporal, subscription, planCode, new Date());
        return answer(updated, { type: 'PLAN_CHANGE_REQUESTED', planCode });
      },

      /** BIL-4 [003 §7.2.2]: the customer subscribes during the trial, on its plan or another; it converts at the trial's end. */
      confirmSubscription: async (_: unknown, { id, planCode }: { id: string; planCode?: string | null }, ctx: Ctx) => {
        const subscription = await writableSubscription(id, ctx);
        if (!subscription) return failure(ctx.locale, 'SUBSCRIPTION_NOT_FOUND', ['id']);
        if (subscription.status !== 'TRIALING') return failure(ctx.locale, 'NOT_IN_TRIAL', ['id']);
        if (planCode) {
          const target = await currentPlanAndPolicy(models, planCode);
          if (!target || !target.plan.active) return failure(ctx.locale, 'PLAN_NOT_FOUND', ['planCode']);
          if (!priceIn(target.plan.prices, subscription.currency)) return failure(ctx.locale, 'NO_PRICE_IN_CURRENCY', ['planCode'], { currency: subscription.currency });
        }
        const event = { type: 'TRIAL_CONFIRMED' as const, planCode: planCode ?? null };
        const pending = planCode && planCode !== subscription.planCode ? planCode : null;
        const updated = await models.Subscription.findOneAndUpdate({ _id: subscription._id }, { $set: { confirmed: true, pendingPlanCode: pending } }, { returnDocument: 'after' }).lean<SubscriptionDoc>();
        await signal(id, SUBSCRIPTION_SIGNALS.trialConfirmed, { planCode: event.planCode });
        return answer(updated!, event);
      },
    },
    BillingSubscription: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const subscription = await ctx.loaders.subscription.load(id);
        return subscription && canAccessOrganization(ctx, subscription.organizationId) ? withId(subscription) : null;
      },
      organization: (s: SubscriptionDoc) => ({ __typename: 'Organization', id: s.organizationId }),
      plan: async (s: SubscriptionDoc, _: unknown, ctx: Ctx) => {
        const plan = await ctx.loaders.plan.load(s.planId.toString());
        return plan && withId(plan);
      },
      history: (s: SubscriptionDoc) => [...s.history].sort((a, b) => a.at.getTime() - b.at.getTime()),
      noticeFreeCancellationUntil: (s: SubscriptionDoc) =>
        FINAL.includes(s.status as SubscriptionStatus) ? null : noticeFreeCancellationUntil(models, s.organizationId, new Date()),
      /** BIL-3: the lifecycle core's projection of the workflow's own state, at this moment (never a past time). */
      upcoming: async (s: SubscriptionDoc & { id: string; lifecycle?: LifecycleState }): Promise<LifecycleEvent[]> => {
        if (FINAL.includes(s.status as SubscriptionStatus)) return [];
        const state = s.lifecycle ?? (await lifecycleState(s.id));
        return state ? upcoming(state, Date.now()).map((e) => ({ ...e, at: new Date(e.at).toISOString() })) : [];
      },
    },
    Organization: {
      subscriptions: async ({ id, referredByPartnerId }: { id: string; referredByPartnerId?: string | null }, _: unknown, ctx: Ctx) => {
        // Every member (READ_ONLY too) and every operator sees subscription status, and so does the partner
        // that referred the organisation (ACC-9; accounts tells who that is, by @requires).
        if (!isReferringPartner(ctx, referredByPartnerId)) requireOrganizationAccess(ctx, id);
        return (await ctx.loaders.subscriptionsOfOrganization.load(id)).map(withId);
      },
    },
  };
}

function isReferringPartner(ctx: Ctx, referredByPartnerId: string | null | undefined): boolean {
  const principal = ctx.principal;
  return principal.kind === 'partner' && principal.scopes.has('customers:read') && !!referredByPartnerId && referredByPartnerId === principal.partnerOrganizationId;
}

interface StartInput extends SubscriptionOrder {
  paymentMethodToken?: string | null;
  promoCode?: string | null;
}
