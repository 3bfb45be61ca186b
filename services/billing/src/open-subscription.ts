import type { Client } from '@temporalio/client';
import { Types } from 'mongoose';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { startWorkflowOnce } from '@omurga/shared/temporal';
import { policyTerms } from './activities.ts';
import { startSubscription, subscriptionStatus, type LifecycleState } from './lifecycle/index.ts';
import { SUBSCRIPTION_WORKFLOW_PATCHES, subscriptionWorkflowId, type SubscriptionWorkflowInput } from './workflows/contracts.ts';
import { couponTerms, discountSummary } from './coupons/redeem.ts';
import type { BillingModels, PlanDoc, PolicyDoc, SubscriptionDiscount, SubscriptionDoc } from './models/index.ts';

export interface OpenSubscriptionInput {
  organizationId: string;
  plan: PlanDoc;
  policy: PolicyDoc;
  currency: string;
  addOns?: { code: string; quantity: number }[];
  oneOffFees?: string[];
  hasPaymentMethod: boolean;
  startedBy: string | null;
  /** when the subscription starts (the trial or first period) */
  now: Date;
  /** its id, when chosen beforehand: a card capture that starts it (issue 15), or derived from the request (imports, issue 16) so a repeated request finds the same one; fresh otherwise */
  id?: Types.ObjectId;
  /** a coupon already redeemed for it (issue 15) */
  discount?: SubscriptionDiscount | null;
}

/** A subscription as the API answers it: the read model plus the lifecycle state its start caused. */
export type OpenedSubscription = SubscriptionDoc & { lifecycle: LifecycleState };

/**
 * Records a new subscription and starts its lifecycle workflow (BIL-3). The
 * starting state (status, trial end, first period, what comes next) is the
 * lifecycle core's own answer to the same input the workflow starts from,
 * so the API answers with it at once. The workflow ID is derived from the
 * subscription, so a repeated start is a no-op.
 */
export async function openSubscription(models: BillingModels, temporal: Client, input: OpenSubscriptionInput): Promise<OpenedSubscription> {
  const { plan, policy, now } = input;
  const id = input.id ?? new Types.ObjectId();
  const start: NonNullable<SubscriptionWorkflowInput['start']> = { planCode: plan.code, policy: policyTerms(policy), hasPaymentMethod: input.hasPaymentMethod, at: now.toISOString() };
  const { state } = startSubscription({ ...start, subscriptionId: id.toString(), organizationId: input.organizationId }, now.getTime());
  const status = subscriptionStatus(state);
  const { period } = state;
  const created = await models.Subscription.create({
    _id: id,
    organizationId: input.organizationId,
    planCode: plan.code,
    currency: input.currency,
    status,
    planId: plan._id,
    policyId: policy._id,
    periodIndex: -1,
    currentPeriodStart: new Date(period.start),
    currentPeriodEnd: new Date(period.end),
    trialEndsAt: period.kind === 'TRIAL' ? new Date(period.end) : null,
    addOns: input.addOns ?? [],
    oneOffFeeCodes: input.oneOffFees ?? [],
    history: [
      { at: now, type: 'CREATED', detail: `${plan.code} v${plan.version}, ${policy.code} v${policy.version}`, status },
      ...(input.discount ? [{ at: now, type: 'COUPON_APPLIED', detail: discountSummary(couponTerms(input.discount), input.currency), status: null }] : []),
    ],
    discount: input.discount ?? null,
    startedBy: input.startedBy,
  });
  await startLifecycle(temporal, created.toObject() as SubscriptionDoc, start, `${input.organizationId} · ${plan.code} · ${policy.code} v${policy.version}`);
  return { ...(created.toObject() as SubscriptionDoc), lifecycle: state };
}

/**
 * Starts a stored subscription's lifecycle workflow; one that is already
 * running or has run (same ID, derived from the subscription) is left as it is.
 */
export async function startLifecycle(temporal: Client, subscription: SubscriptionDoc, start: NonNullable<SubscriptionWorkflowInput['start']>, summary: string): Promise<void> {
  const subscriptionId = subscription._id.toString();
  // The workflow code deployed with this starter takes every change without patch markers (issue 16).
  const workflowInput: SubscriptionWorkflowInput = { subscriptionId, organizationId: subscription.organizationId, start, patches: SUBSCRIPTION_WORKFLOW_PATCHES };
  await startWorkflowOnce(temporal, 'subscriptionWorkflow', {
    taskQueue: TASK_QUEUES.workflows,
    workflowId: subscriptionWorkflowId(subscriptionId),
    // A lifecycle that has ended stays ended.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    args: [workflowInput],
    searchAttributes: { OrganizationId: [subscription.organizationId], PlanCode: [subscription.planCode], SubscriptionStatus: [subscription.status] },
    memo: { summary },
  });
}
