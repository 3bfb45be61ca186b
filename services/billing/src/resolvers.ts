import { GraphQLScalarType, Kind } from 'graphql';
import {
  DateTimeScalar,
  canAccessOrganization,
  decodeCursor,
  pageSize,
  requireOrganizationAccess,
  toConnection,
  withId,
  type PageArgs,
  type Resolvers,
  type SubgraphContext,
} from '@omurga/shared';
import type { BillingLoaders } from './loaders.ts';
import type { BillingModels, InvoiceDoc, PlanDoc, SubscriptionDoc } from './models.ts';

type Ctx = SubgraphContext<BillingLoaders>;

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
function duration(value: unknown): string {
  if (typeof value !== 'string' || !ISO_DURATION.test(value)) throw new TypeError('Duration must be an ISO-8601 duration like P14D');
  return value;
}
const DurationScalar = new GraphQLScalarType({
  name: 'Duration',
  serialize: duration,
  parseValue: duration,
  parseLiteral: (ast) => duration(ast.kind === Kind.STRING ? ast.value : undefined),
});

export function billingResolvers(models: BillingModels): Resolvers {
  return {
    DateTime: DateTimeScalar,
    Duration: DurationScalar,
    Query: {
      plans: async () => (await models.Plan.find({ active: true }).sort({ code: 1 }).lean<PlanDoc[]>()).map(withId),
      subscription: async (_: unknown, { id }: { id: string }, ctx: Ctx) => {
        const subscription = await ctx.loaders.subscription.load(id);
        // Someone else's subscription looks exactly like a missing one: no enumeration.
        if (!subscription || !canAccessOrganization(ctx, subscription.organizationId)) return null;
        return withId(subscription);
      },
    },
    Organization: {
      subscriptions: async ({ id }: { id: string }, _: unknown, ctx: Ctx) => {
        requireOrganizationAccess(ctx, id);
        return (await ctx.loaders.subscriptionsOfOrganization.load(id)).map(withId);
      },
      invoices: async ({ id }: { id: string }, args: PageArgs, ctx: Ctx) => {
        requireOrganizationAccess(ctx, id);
        const size = pageSize(args, ctx.locale);
        const filter: Record<string, unknown> = { organizationId: id };
        if (args.after) filter._id = { $lt: decodeCursor(args.after, ctx.locale) };
        const rows = await models.Invoice.find(filter).sort({ _id: -1 }).limit(size + 1).lean<InvoiceDoc[]>();
        return toConnection(rows.map(withId), size, (invoice) => invoice.id);
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
    },
    Invoice: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const invoice = await ctx.loaders.invoice.load(id);
        return invoice && canAccessOrganization(ctx, invoice.organizationId) ? withId(invoice) : null;
      },
    },
    Plan: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const plan = await ctx.loaders.plan.load(id);
        return plan && withId(plan);
      },
      policy: async (plan: PlanDoc, _: unknown, ctx: Ctx) => {
        const policy = await ctx.loaders.policy.load(plan.policyId.toString());
        return policy && withId(policy);
      },
    },
    ContractPolicy: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const policy = await ctx.loaders.policy.load(id);
        return policy && withId(policy);
      },
    },
  };
}
