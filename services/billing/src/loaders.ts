import { entityLoader, groupLoader } from '@omurga/shared';
import type { BillingModels, InvoiceDoc, PlanDoc, PolicyDoc, SubscriptionDoc } from './models.ts';

export function billingLoaders(models: BillingModels) {
  return {
    plan: entityLoader((ids) => models.Plan.find({ _id: { $in: ids } }).lean<PlanDoc[]>()),
    policy: entityLoader((ids) => models.ContractPolicy.find({ _id: { $in: ids } }).lean<PolicyDoc[]>()),
    subscription: entityLoader((ids) => models.Subscription.find({ _id: { $in: ids } }).lean<SubscriptionDoc[]>()),
    invoice: entityLoader((ids) => models.Invoice.find({ _id: { $in: ids } }).lean<InvoiceDoc[]>()),
    subscriptionsOfOrganization: groupLoader(
      (orgIds) => models.Subscription.find({ organizationId: { $in: orgIds } }).sort({ _id: 1 }).lean<SubscriptionDoc[]>(),
      (s) => s.organizationId,
    ),
  };
}
export type BillingLoaders = ReturnType<typeof billingLoaders>;
