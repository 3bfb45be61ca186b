import { DateTimeScalar, mergeResolvers, type Resolvers } from '@omurga/shared';
import { DurationScalar } from '../duration-scalar.ts';
import { catalogueResolvers } from './catalogue.ts';
import { correctionResolvers } from './corrections.ts';
import { cardCaptureResolvers } from './card-capture.ts';
import { couponResolvers } from './coupons.ts';
import type { BillingDeps } from './deps.ts';
import { invoiceResolvers } from './invoices.ts';
import { subscriptionResolvers } from './subscriptions.ts';
import { usageResolvers } from './usage.ts';
import { operatorViewResolvers } from './operator-views.ts';
import { prepaidPurchaseResolvers } from './prepaid-purchase.ts';

/** One resolver map from the per-capability files (each owns its fields). */
export function billingResolvers(deps: BillingDeps): Resolvers {
  return mergeResolvers(
    { DateTime: DateTimeScalar, Duration: DurationScalar },
    catalogueResolvers(deps),
    subscriptionResolvers(deps),
    invoiceResolvers(deps),
    usageResolvers(deps),
    operatorViewResolvers(deps),
    prepaidPurchaseResolvers(deps),
    correctionResolvers(deps),
    couponResolvers(deps),
    cardCaptureResolvers(deps),
  );
}
