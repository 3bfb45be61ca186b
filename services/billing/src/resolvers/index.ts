import { DateTimeScalar, type Resolvers } from '@omurga/shared';
import { DurationScalar } from '../duration-scalar.ts';
import { catalogueResolvers } from './catalogue.ts';
import type { BillingDeps } from './deps.ts';
import { invoiceResolvers } from './invoices.ts';
import { subscriptionResolvers } from './subscriptions.ts';
import { usageResolvers } from './usage.ts';

type ResolverMap = Record<string, Record<string, unknown>>;

/** One resolver map from the per-capability files (each owns its fields). */
export function billingResolvers(deps: BillingDeps): Resolvers {
  const merged: ResolverMap = { DateTime: DateTimeScalar as never, Duration: DurationScalar as never };
  for (const part of [catalogueResolvers(deps), subscriptionResolvers(deps), invoiceResolvers(deps), usageResolvers(deps)] as ResolverMap[]) {
    for (const [type, fields] of Object.entries(part)) merged[type] = { ...merged[type], ...fields };
  }
  return merged as Resolvers;
}
