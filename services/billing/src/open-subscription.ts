import type { Client } from '@temporalio/client';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { subscriptionWorkflowId, type SubscriptionStatus, type SubscriptionWorkflowInput } from './workflows/contracts.ts';
import type { BillingModels, PlanDoc, PolicyDoc, SubscriptionDoc } from './models/index.ts';

export interface OpenSubscriptionInput {
  organizationId: string;
  plan: PlanDoc;
  policy: PolicyDoc;
  currency: string;
  addOns?: { code: string; quantity: number }[];
  oneOffFees?: string[];
  startedBy: string | null;
  /** when the subscription starts (the trial or first period) */
  now: Date;
}

/**
 * Records a new subscription and starts its lifecycle workflow (BIL-3), which
 * from then on drives every change. The workflow ID is derived from the
 * subscription, so a repeated start is a no-op.
 */
export async function openSubscription(models: BillingModels, temporal: Client, input: OpenSubscriptionInput): Promise<SubscriptionDoc> {
  const { plan, policy, now } = input;
  const kind = policy.trialPeriod ? 'TRIAL' : 'PAID';
  const status: SubscriptionStatus = kind === 'TRIAL' ? 'TRIALING' : policy.collectionMethod === 'ADVANCE' ? 'INCOMPLETE' : 'ACTIVE';
  const created = await models.Subscription.create({
    organizationId: input.organizationId,
    planCode: plan.code,
    currency: input.currency,
    status,
    planId: plan._id,
    policyId: policy._id,
    periodIndex: -1,
    addOns: input.addOns ?? [],
    oneOffFeeCodes: input.oneOffFees ?? [],
    history: [{ at: now, type: 'CREATED', detail: `${plan.code} v${plan.version}, ${policy.code} v${policy.version}`, status }],
    startedBy: input.startedBy,
  });
  const id = created._id.toString();
  const workflowInput: SubscriptionWorkflowInput = { subscriptionId: id, organizationId: input.organizationId, periodIndex: 0, periodStart: now.toISOString(), kind };
  await temporal.workflow.start('subscriptionWorkflow', {
    taskQueue: TASK_QUEUES.workflows,
    workflowId: subscriptionWorkflowId(id),
    args: [workflowInput],
    searchAttributes: { OrganizationId: [input.organizationId], PlanCode: [plan.code], SubscriptionStatus: [status] },
    memo: { summary: `${input.organizationId} · ${plan.code} · ${policy.code} v${policy.version}` },
  });
  return created.toObject() as SubscriptionDoc;
}
