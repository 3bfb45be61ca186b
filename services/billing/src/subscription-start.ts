import { currentPlanAndPolicy } from './activities.ts';
import { ENDED_SUBSCRIPTION_STATUSES } from './workflows/contracts.ts';
import { MAX_LINE_MINOR, MAX_QUANTITY } from './input-bounds.ts';
import type { BillingModels, PlanDoc, PolicyDoc, SubscriptionDoc } from './models/index.ts';
import { isSupportedCurrency, priceIn } from './money.ts';

/** What a new subscription asks for (startSubscription's input, or the one a card capture starts). */
export interface SubscriptionOrder {
  organizationId: string;
  planCode: string;
  currency: string;
  addOns?: { code: string; quantity: number }[] | null;
  oneOffFees?: string[] | null;
}

export type StartCheck =
  | { ok: true; plan: PlanDoc; policy: PolicyDoc }
  | { ok: false; code: string; field: string[]; params?: Record<string, string> };

/** Whether the policy needs a card on file before it starts [000 §4.5]. */
export function policyNeedsCard(policy: PolicyDoc): boolean {
  return policy.trialPeriod
    ? Boolean(policy.trialRequiresPaymentMethod)
    : policy.collectionMethod === 'CARD_AUTO' || (policy.collectionMethod === 'ADVANCE' && policy.advanceRequiresPaymentMethod === true);
}

/**
 * BIL-4: one live trial per organisation; and where the policy says so
 * [003 §5.9], one trial of it ever. A coded refusal, or null.
 */
async function trialRefusal(models: BillingModels, organizationId: string, policy: PolicyDoc): Promise<'TRIAL_IN_PROGRESS' | 'TRIAL_ALREADY_USED' | null> {
  if (await models.Subscription.exists({ organizationId, status: 'TRIALING' })) return 'TRIAL_IN_PROGRESS';
  if (!policy.oneTrialPerOrganization) return null;
  const trials = await models.Subscription.find({ organizationId, trialEndsAt: { $ne: null } }, { policyId: 1 }).lean<Pick<SubscriptionDoc, 'policyId'>[]>();
  if (!trials.length) return null;
  const used = await models.ContractPolicy.exists({ _id: { $in: trials.map((t) => t.policyId) }, code: policy.code });
  return used ? 'TRIAL_ALREADY_USED' : null;
}

/**
 * The checks of a new subscription, in the order the API reports them: the
 * plan on sale in the currency, its add-ons and fees, the card the policy
 * needs (`cardProblem`: what is wrong with a token sent along, if anything),
 * the trial rules, and no second live subscription of the plan.
 */
export async function checkSubscriptionStart(
  models: BillingModels,
  order: SubscriptionOrder,
  card: { hasPaymentMethod: boolean; tokenProblem: string | null; field: string[] },
): Promise<StartCheck> {
  if (!isSupportedCurrency(order.currency)) return { ok: false, code: 'UNSUPPORTED_CURRENCY', field: ['input', 'currency'] };
  const current = await currentPlanAndPolicy(models, order.planCode);
  if (!current || !current.plan.active) return { ok: false, code: 'PLAN_NOT_FOUND', field: ['input', 'planCode'] };
  const { plan, policy } = current;
  if (!priceIn(plan.prices, order.currency)) return { ok: false, code: 'NO_PRICE_IN_CURRENCY', field: ['input', 'currency'], params: { currency: order.currency } };
  for (const [index, addOn] of (order.addOns ?? []).entries()) {
    const field = ['input', 'addOns', String(index)];
    const offered = plan.addOns.find((a) => a.code === addOn.code);
    if (!offered) return { ok: false, code: 'UNKNOWN_ADD_ON', field: [...field, 'code'] };
    if (!Number.isInteger(addOn.quantity) || addOn.quantity < 1) return { ok: false, code: 'MUST_BE_POSITIVE', field: [...field, 'quantity'] };
    const unit = priceIn(offered.prices, order.currency)?.amountMinor ?? 0;
    if (addOn.quantity > MAX_QUANTITY || unit * addOn.quantity > MAX_LINE_MINOR) return { ok: false, code: 'TOO_LARGE', field: [...field, 'quantity'] };
  }
  for (const [index, fee] of (order.oneOffFees ?? []).entries()) {
    if (!plan.oneOffFees.some((f) => f.code === fee)) return { ok: false, code: 'UNKNOWN_ONE_OFF_FEE', field: ['input', 'oneOffFees', String(index)] };
  }
  if (card.tokenProblem) return { ok: false, code: card.tokenProblem, field: card.field };
  if (policyNeedsCard(policy) && !card.hasPaymentMethod) return { ok: false, code: 'PAYMENT_METHOD_REQUIRED', field: card.field };
  const trialProblem = policy.trialPeriod ? await trialRefusal(models, order.organizationId, policy) : null;
  if (trialProblem) return { ok: false, code: trialProblem, field: ['input', 'planCode'] };
  if (await models.Subscription.exists({ organizationId: order.organizationId, planCode: plan.code, status: { $nin: ENDED_SUBSCRIPTION_STATUSES } })) {
    return { ok: false, code: 'SUBSCRIPTION_EXISTS', field: ['input', 'planCode'] };
  }
  return { ok: true, plan, policy };
}
