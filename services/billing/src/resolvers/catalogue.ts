import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { ErrorCode, isDuplicateKeyError, requireOperator, userErrorsFromZod, withId, type Locale } from '@omurga/shared';
import { contractPolicy } from '../lifecycle/index.ts';
import { t } from '../messages.ts';
import type { PlanDoc, PolicyDoc } from '../models/index.ts';
import { MAX_PRICE_MINOR, MAX_QUANTITY, MAX_UNIT_PRICE_MICROS } from '../input-bounds.ts';
import { SUPPORTED_CURRENCIES } from '../money.ts';
import type { BillingDeps, Ctx } from './deps.ts';
import { memoisedRead } from '../catalogue-cache.ts';

/** As long as the gateway and HTTP caches may keep `plans` (its @cacheControl maxAge). */
const CATALOGUE_TTL_MS = 15_000;

const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/, { message: 'INVALID_CODE' });
const currency = z.enum(SUPPORTED_CURRENCIES, { message: 'UNSUPPORTED_CURRENCY' });
const nonNegative = z.number().int().min(0, { message: 'MUST_NOT_BE_NEGATIVE' });
const price = z.object({ currency, amountMinor: nonNegative.max(MAX_PRICE_MINOR, { message: 'TOO_LARGE' }) });
const microPrice = z.object({ currency, amountMicros: nonNegative.max(MAX_UNIT_PRICE_MICROS, { message: 'TOO_LARGE' }) });
const uniqueCodes = <T extends { code?: string; currency?: string }>(items: T[], key: 'code' | 'currency') =>
  new Set(items.map((item) => item[key])).size === items.length;
const prices = z.array(price).refine((list) => uniqueCodes(list, 'currency'), { message: 'DUPLICATE_CODE' });

/**
 * An operator's policy is the one contract policy schema (lifecycle/policy.ts):
 * GraphQL sends null for a field left out, which here means "the default".
 */
const policyInput = z.preprocess(
  (input) => (input && typeof input === 'object' ? Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null)) : input),
  contractPolicy,
);

const planInput = z.object({
  code,
  name: z.string().trim().min(1).max(200),
  policyCode: code,
  prices: prices.refine((list) => list.length > 0, { message: 'REQUIRED' }),
  addOns: z
    .array(z.object({ code, name: z.string().trim().min(1).max(200), prices }))
    .refine((list) => uniqueCodes(list, 'code'), { message: 'DUPLICATE_CODE' })
    .nullish(),
  meters: z
    .array(
      z.object({
        code,
        name: z.string().trim().min(1).max(200),
        unit: z.string().trim().min(1).max(40),
        includedQuantity: nonNegative.max(MAX_QUANTITY, { message: 'TOO_LARGE' }).nullish(),
        unitPrices: z.array(microPrice),
        prepaid: z.boolean().nullish(),
      }),
    )
    .refine((list) => uniqueCodes(list, 'code'), { message: 'DUPLICATE_CODE' })
    .nullish(),
  oneOffFees: z
    .array(z.object({ code, name: z.string().trim().min(1).max(200), prices }))
    .refine((list) => uniqueCodes(list, 'code'), { message: 'DUPLICATE_CODE' })
    .nullish(),
  prepaidMinimums: prices.nullish(),
});

/** createContractPolicy / createPlan return the object itself, so bad input is a BAD_USER_INPUT error naming the fields. */
function rejectInput(error: z.ZodError, locale: Locale): never {
  const problems = userErrorsFromZod(error, t, locale, ['input']);
  throw new GraphQLError(problems.map((p) => `${p.field?.join('.')}: ${p.message}`).join('; '), {
    extensions: { code: ErrorCode.BAD_USER_INPUT, userErrors: problems },
  });
}
function rejectField(locale: Locale, field: string, messageCode: string): never {
  throw new GraphQLError(`input.${field}: ${t(messageCode, locale)}`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, userErrors: [{ code: messageCode, field: ['input', field], message: t(messageCode, locale) }] },
  });
}

/** Adds a new version: one more than the code's newest, retried if a concurrent creation took that number. */
async function insertVersion<T>(latest: () => Promise<{ version: number } | null>, insert: (version: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const version = ((await latest())?.version ?? 0) + 1;
    try {
      return await insert(version);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error('could not allocate a version');
}

/** BIL-1, SPEC §1: the versioned catalogue. */
export function catalogueResolvers({ models }: BillingDeps) {
  const latestPolicy = (policyCode: string) => models.ContractPolicy.findOne({ code: policyCode }).sort({ version: -1 }).lean<PolicyDoc>();
  // The catalogue as the public reads it: the newest version of each active
  // plan code, and the newest version of each policy (what `policy` shows).
  const catalogue = memoisedRead(async () => {
    const [plans, policies] = await Promise.all([
      models.Plan.find({}).sort({ code: 1, version: -1 }).lean<PlanDoc[]>(),
      models.ContractPolicy.find({}).sort({ code: 1, version: -1 }).lean<PolicyDoc[]>(),
    ]);
    const newest = new Map<string, PlanDoc>();
    for (const plan of plans) if (!newest.has(plan.code)) newest.set(plan.code, plan);
    const latestPolicies = new Map<string, PolicyDoc>();
    for (const policy of policies) if (!latestPolicies.has(policy.code)) latestPolicies.set(policy.code, policy);
    return { plans: [...newest.values()].filter((plan) => plan.active).map(withId), latestPolicies };
  }, CATALOGUE_TTL_MS);
  // A plan read by id (a subscription's pinned plan) may name a policy newer
  // than the memoised catalogue, written by another instance within its TTL:
  // that one is read directly rather than shown as no policy.
  const latestPolicyOf = async (plan: PlanDoc) =>
    (await catalogue.get()).latestPolicies.get(plan.policyCode) ?? (await latestPolicy(plan.policyCode)) ?? undefined;

  return {
    Query: {
      plans: async () => (await catalogue.get()).plans,
      contractPolicies: async (_: unknown, __: unknown, ctx: Ctx) => {
        requireOperator(ctx, 'BILLING_ADMIN');
        return (await models.ContractPolicy.find({}).sort({ code: 1, version: -1 }).lean<PolicyDoc[]>()).map(withId);
      },
    },
    Mutation: {
      createContractPolicy: async (_: unknown, { input }: { input: unknown }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'BILLING_ADMIN');
        const parsed = policyInput.safeParse(input);
        if (!parsed.success) rejectInput(parsed.error, ctx.locale);
        const p = parsed.data;
        const created = await insertVersion(
          () => latestPolicy(p.code),
          (version) =>
            models.ContractPolicy.create({ ...p, version, createdBy: operator.userId }),
        );
        catalogue.invalidate();
        return withId(created.toObject());
      },
      createPlan: async (_: unknown, { input }: { input: unknown }, ctx: Ctx) => {
        const operator = requireOperator(ctx, 'BILLING_ADMIN');
        const parsed = planInput.safeParse(input);
        if (!parsed.success) rejectInput(parsed.error, ctx.locale);
        const p = parsed.data;
        if (!(await latestPolicy(p.policyCode))) rejectField(ctx.locale, 'policyCode', 'POLICY_NOT_FOUND');
        const created = await insertVersion(
          () => models.Plan.findOne({ code: p.code }).sort({ version: -1 }).lean<PlanDoc>(),
          (version) =>
            models.Plan.create({
              ...p,
              version,
              addOns: p.addOns ?? [],
              meters: (p.meters ?? []).map((m) => ({ ...m, includedQuantity: m.includedQuantity ?? 0, prepaid: m.prepaid ?? false })),
              oneOffFees: p.oneOffFees ?? [],
              prepaidMinimums: p.prepaidMinimums ?? [],
              createdBy: operator.userId,
            }),
        );
        catalogue.invalidate();
        return withId(created.toObject());
      },
    },
    Plan: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const plan = await ctx.loaders.plan.load(id);
        return plan && withId(plan);
      },
      /** the newest version of the plan's policy: what a period begun now would pin */
      policy: async (plan: PlanDoc) => {
        const policy = await latestPolicyOf(plan);
        return policy ? withId(policy) : null;
      },
      interval: async (plan: PlanDoc) => intervalOf((await latestPolicyOf(plan))?.billingPeriod),
    },
    ContractPolicy: {
      __resolveReference: async ({ id }: { id: string }, ctx: Ctx) => {
        const policy = await ctx.loaders.policy.load(id);
        return policy && withId(policy);
      },
    },
  };

  function intervalOf(billingPeriod: string | undefined) {
    switch (billingPeriod) {
      case 'P30D':
        return 'DAYS_30';
      case 'P1M':
        return 'MONTH';
      case 'P1Y':
      case 'P12M':
        return 'YEAR';
      default:
        return null;
    }
  }
}
