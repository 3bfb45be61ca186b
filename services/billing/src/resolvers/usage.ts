import { canAccessOrganization, isEntityId, newestFirstPage, requireOperator, requireOrganizationAccess, withId, type PageArgs } from '@omurga/shared';
import type { PartnerCommissionDoc, PlanDoc, SubscriptionDoc } from '../models/index.ts';
import { prepaidBalances, recordUsage, topUpPrepaidBalance, topUpProblem } from '../usage.ts';
import { INVOICE_ACCESS, type BillingDeps, type Ctx } from './deps.ts';
import { failure } from './payloads.ts';

interface UsageArgs {
  input: { subscriptionId: string; meterCode: string; quantity: number; eventId: string; occurredAt?: Date | null };
}

/** BIL-9 usage and prepaid balances; BIL-11 partner commissions. */
export function usageResolvers({ models }: BillingDeps) {
  return {
    Mutation: {
      /** Usage comes from the seller's systems (telephony, messaging): organisation admins and billing operators record it. */
      recordUsage: async (_: unknown, { input }: UsageArgs, ctx: Ctx) => {
        const subscription = isEntityId(input.subscriptionId) ? await models.Subscription.findById(input.subscriptionId).lean<SubscriptionDoc>() : null;
        if (!subscription || !canAccessOrganization(ctx, subscription.organizationId)) return failure(ctx.locale, 'SUBSCRIPTION_NOT_FOUND', ['input', 'subscriptionId']);
        requireOrganizationAccess(ctx, subscription.organizationId, { write: true, roles: ['OWNER', 'ADMIN'], operatorRoles: ['BILLING_ADMIN'] });
        if (!input.eventId.trim() || input.eventId.length > 200) return failure(ctx.locale, 'REQUIRED', ['input', 'eventId']);
        const plan = await models.Plan.findById(subscription.planId).lean<PlanDoc>();
        const result = await recordUsage(
          models,
          { ...input, organizationId: subscription.organizationId, occurredAt: input.occurredAt ?? new Date() },
          plan ?? { meters: [], prepaidMinimums: [] },
        );
        if (!result.ok) return failure(ctx.locale, result.code, ['input', result.code === 'INVALID_QUANTITY' ? 'quantity' : result.code === 'UNKNOWN_METER' ? 'meterCode' : 'subscriptionId']);
        return { usage: withId(result.record), userErrors: [] };
      },
      /** A top-up paid outside the card flow (a transfer), recorded by a billing operator. */
      topUpPrepaidBalance: async (_: unknown, args: { organizationId: string; amount: { currency: string; amountMinor: number }; reference: string }, ctx: Ctx) => {
        requireOperator(ctx, 'BILLING_ADMIN');
        const problem = await topUpProblem(models, args.organizationId, args.amount);
        if (problem) return failure(ctx.locale, problem.code, problem.field);
        const reference = args.reference.trim();
        if (!reference || reference.length > 200) return failure(ctx.locale, 'REQUIRED', ['reference']);
        return { balance: await topUpPrepaidBalance(models, args.organizationId, args.amount, reference), userErrors: [] };
      },
    },
    Organization: {
      prepaidBalances: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
        requireOrganizationAccess(ctx, id, INVOICE_ACCESS);
        return prepaidBalances(models, id);
      },
      partnerCommissions: async ({ id }: { id: string }, args: PageArgs, ctx: Ctx) => {
        requireOrganizationAccess(ctx, id, INVOICE_ACCESS);
        return newestFirstPage<PartnerCommissionDoc>(models.PartnerCommission, { partnerId: id }, args, ctx.locale);
      },
    },
    PartnerCommission: {
      organization: (c: PartnerCommissionDoc) => ({ __typename: 'Organization', id: c.organizationId }),
    },
  };
}
