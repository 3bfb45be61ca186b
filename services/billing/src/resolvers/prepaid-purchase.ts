import { requireOrganizationAccess, requireUser } from '@omurga/shared';
import { ProviderTimeoutError, withTimeout } from '../payments/provider.ts';
import { topUpPrepaidBalance, topUpProblem } from '../usage.ts';
import { INVOICE_ACCESS, type BillingDeps, type Ctx } from './deps.ts';
import { failure } from './payloads.ts';

interface PurchaseArgs {
  organizationId: string;
  amount: { currency: string; amountMinor: number };
  idempotencyKey: string;
}

const KEY = /^[A-Za-z0-9_-]{8,100}$/;

/**
 * A customer buys prepaid credit [004 §6.2] with the card on file: the
 * provider is charged under `prepaid/<organisation>/<key>` (the customer's
 * key, so a retried click charges once), and only a successful charge credits
 * the ledger, under the same key, so it counts once too.
 */
export function prepaidPurchaseResolvers({ models, charging }: BillingDeps) {
  return {
    Mutation: {
      purchasePrepaidCredit: async (_: unknown, args: PurchaseArgs, ctx: Ctx) => {
        // The customer's own billing people pay; operators record transfers with topUpPrepaidBalance instead.
        requireUser(ctx);
        requireOrganizationAccess(ctx, args.organizationId, { roles: INVOICE_ACCESS.roles });
        const problem = await topUpProblem(models, args.organizationId, args.amount);
        if (problem) return failure(ctx.locale, problem.code, problem.field);
        if (!KEY.test(args.idempotencyKey)) return failure(ctx.locale, 'INVALID_IDEMPOTENCY_KEY', ['idempotencyKey']);
        const account = await models.BillingAccount.findById(args.organizationId).lean();
        const method = account?.paymentMethod;
        if (!method || !charging || method.provider !== charging.provider.name) return failure(ctx.locale, 'PAYMENT_METHOD_REQUIRED', ['organizationId']);
        const key = `prepaid/${args.organizationId}/${args.idempotencyKey}`;
        const request = { token: method.token, amount: args.amount, idempotencyKey: key, description: 'Prepaid credit', customerId: args.organizationId };
        let result;
        try {
          result = await withTimeout(() => charging.provider.charge(request), charging.timeoutMs, charging.provider.name);
        } catch (error) {
          if (error instanceof ProviderTimeoutError) return failure(ctx.locale, 'PAYMENT_PENDING', ['idempotencyKey']);
          throw error;
        }
        if (result.status !== 'SUCCEEDED') return failure(ctx.locale, 'PAYMENT_DECLINED', ['organizationId']);
        const balance = await topUpPrepaidBalance(models, args.organizationId, args.amount, `card/${key}`);
        return { balance, userErrors: [] };
      },
    },
  };
}
