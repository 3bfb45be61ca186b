import { addDuration, badUserInput, isEntityId, newestFirstPage, requireOperator, type PageArgs } from '@omurga/shared';
import { ENDED_SUBSCRIPTION_STATUSES, subscriptionWorkflowId } from '../workflows/contracts.ts';
import type { InvoiceDoc, PaymentAttemptDoc, PlanDoc, PolicyDoc, SubscriptionDoc } from '../models/index.ts';
import { cancellationPreview } from '../subscription-requests.ts';
import type { BillingDeps, Ctx } from './deps.ts';

const INVOICE_NUMBER_MAX = 40;

interface InvoiceSearchArgs extends PageArgs {
  number?: string | null;
  organizationId?: string | null;
  status?: string | null;
  overdue?: boolean | null;
}

const LIVE = ['ACTIVE', 'PAST_DUE', 'SUSPENDED'] as const;
const AVERAGE_MONTH_MS = (365.25 / 12) * 86_400_000;

/** How many of one billing period make a month: P1M → 1, P1Y → 1/12, P30D → 30.44/30. */
export function monthlyFactor(billingPeriod: string): number {
  if (/^P\d+M$/.test(billingPeriod)) return 1 / Number(billingPeriod.slice(1, -1));
  if (/^P\d+Y$/.test(billingPeriod)) return 1 / (12 * Number(billingPeriod.slice(1, -1)));
  const periodMs = addDuration(Date.UTC(2026, 0, 1), billingPeriod) - Date.UTC(2026, 0, 1);
  return periodMs > 0 ? AVERAGE_MONTH_MS / periodMs : 0;
}

/**
 * The back office's billing views (issue 14): invoice search and the
 * receivables list for billing operators, and the revenue and dunning figures
 * its charts draw. Nothing here changes state.
 */
export function operatorViewResolvers({ models }: BillingDeps) {
  return {
    Query: {
      operatorInvoices: async (_: unknown, args: InvoiceSearchArgs, ctx: Ctx) => {
        requireOperator(ctx, 'BILLING_ADMIN');
        const filter: Record<string, unknown> = {};
        const number = args.number?.trim().toUpperCase();
        // GİB invoice numbers are 16 characters; anything far longer is a mistake, not a search.
        if (number && number.length > INVOICE_NUMBER_MAX) throw badUserInput(ctx.locale, 'number');
        if (number) filter.number = number;
        if (args.organizationId && !isEntityId(args.organizationId)) throw badUserInput(ctx.locale, 'organizationId');
        if (args.organizationId) filter.organizationId = args.organizationId;
        if (args.status) filter.status = args.status;
        if (args.overdue) Object.assign(filter, { status: 'OPEN', dueAt: { $lt: new Date() } });
        return newestFirstPage<InvoiceDoc>(models.Invoice, filter, args, ctx.locale);
      },
      billingMetrics: async (_: unknown, __: unknown, ctx: Ctx) => {
        requireOperator(ctx, 'BILLING_ADMIN');
        const subscriptions = await models.Subscription.find({ status: { $in: [...LIVE] } }).lean<SubscriptionDoc[]>();
        const plans = new Map((await models.Plan.find({ _id: { $in: subscriptions.map((s) => s.planId) } }).lean<PlanDoc[]>()).map((p) => [p._id.toString(), p]));
        const policies = new Map((await models.ContractPolicy.find({ _id: { $in: subscriptions.map((s) => s.policyId) } }).lean<PolicyDoc[]>()).map((p) => [p._id.toString(), p]));
        const lines = new Map<string, { planCode: string; currency: string; subscriptions: number; mrrMinor: number }>();
        for (const s of subscriptions) {
          const plan = plans.get(s.planId.toString());
          const policy = policies.get(s.policyId.toString());
          const price = plan?.prices.find((p) => p.currency === s.currency);
          if (!plan || !policy || !price) continue;
          const key = `${plan.code}/${s.currency}`;
          const line = lines.get(key) ?? { planCode: plan.code, currency: s.currency, subscriptions: 0, mrrMinor: 0 };
          line.subscriptions += 1;
          line.mrrMinor += price.amountMinor * monthlyFactor(policy.billingPeriod);
          lines.set(key, line);
        }
        const mrr = [...lines.values()]
          .map((l) => ({ ...l, mrrMinor: Math.round(l.mrrMinor), arrMinor: Math.round(l.mrrMinor * 12) }))
          .sort((a, b) => a.planCode.localeCompare(b.planCode) || a.currency.localeCompare(b.currency));
        // Dunning funnel: invoices that had a declined charge, and where they ended.
        const declined: string[] = (await models.PaymentAttempt.distinct('invoiceId', { status: 'DECLINED' })).map(String);
        // a voided invoice (issue 15) is no longer a dunning case
        const failedInvoices = declined.length ? await models.Invoice.find({ _id: { $in: declined }, status: { $ne: 'VOID' } }).lean<InvoiceDoc[]>() : [];
        const subscriptionIds = failedInvoices.map((i) => i.subscriptionId).filter((id) => id != null);
        const states = subscriptionIds.length ? await models.Subscription.find({ _id: { $in: subscriptionIds } }, { status: 1 }).lean<Pick<SubscriptionDoc, '_id' | 'status'>[]>() : [];
        const statusOf = new Map(states.map((s) => [s._id.toString(), s.status]));
        const funnel = { failed: failedInvoices.length, recovered: 0, suspended: 0, terminated: 0, open: 0 };
        for (const invoice of failedInvoices) {
          const status = invoice.subscriptionId ? statusOf.get(invoice.subscriptionId.toString()) : undefined;
          if (invoice.status === 'PAID') funnel.recovered += 1;
          else if (status === 'TERMINATED' || invoice.status === 'UNCOLLECTIBLE') funnel.terminated += 1;
          else if (status === 'SUSPENDED') funnel.suspended += 1;
          else funnel.open += 1;
        }
        return { mrr, dunning: funnel };
      },
    },
    BillingSubscription: {
      /** Operators open the lifecycle's workflow in the Temporal UI by this id. */
      workflowId: (s: { id: string }) => subscriptionWorkflowId(s.id),
      /** The preview the portal shows before the customer confirms a cancellation: the same rule the request applies. */
      cancelNowEffectiveAt: async (s: SubscriptionDoc) => {
        if (ENDED_SUBSCRIPTION_STATUSES.includes(s.status)) return null;
        return (await cancellationPreview(models, s, new Date())).effectiveAt;
      },
    },
    Invoice: {
      /** Reached only through an invoice the caller may read (the queries check), so no further check here. */
      payments: async (invoice: InvoiceDoc) =>
        (await models.PaymentAttempt.find({ invoiceId: invoice._id }).sort({ attempt: 1 }).lean<PaymentAttemptDoc[]>()).map((a) => ({
          attempt: a.attempt,
          status: a.status,
          amount: a.amount,
          declineCode: a.declineCode,
          at: a.settledAt ?? a.createdAt,
        })),
      daysOverdue: (invoice: InvoiceDoc) => (invoice.status === 'OPEN' && invoice.dueAt < new Date() ? Math.floor((Date.now() - invoice.dueAt.getTime()) / 86_400_000) : 0),
      customerName: (invoice: InvoiceDoc, _: unknown, ctx: Ctx) => (ctx.principal.kind === 'operator' ? (invoice.customer?.name ?? null) : null),
    },
  };
}

