import { entityLoader, groupLoader } from '@omurga/shared';
import type { BillingModels, InvoiceDoc, PlanDoc, PolicyDoc, SubscriptionDoc } from './models/index.ts';

export function billingLoaders(models: BillingModels) {
  return {
    plan: entityLoader<PlanDoc>(models.Plan),
    policy: entityLoader<PolicyDoc>(models.ContractPolicy),
    subscription: entityLoader<SubscriptionDoc>(models.Subscription),
    invoice: entityLoader<InvoiceDoc>(models.Invoice),
    subscriptionsOfOrganization: groupLoader(
      (orgIds) => models.Subscription.find({ organizationId: { $in: orgIds } }).sort({ _id: 1 }).lean<SubscriptionDoc[]>(),
      (s) => s.organizationId,
    ),
  };
}
export type BillingLoaders = ReturnType<typeof billingLoaders>;
