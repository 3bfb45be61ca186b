import DataLoader from 'dataloader';
import { entityLoader, groupLoader } from '@omurga/shared';
import type { BillingModels, InvoiceDoc, PlanDoc, PolicyDoc, SubscriptionDoc } from './models/index.ts';

export function billingLoaders(models: BillingModels) {
  return {
    plan: entityLoader<PlanDoc>(models.Plan),
    policy: entityLoader<PolicyDoc>(models.ContractPolicy),
    subscription: entityLoader<SubscriptionDoc>(models.Subscription),
    invoice: entityLoader<InvoiceDoc>(models.Invoice),
    /** the newest version of each policy code (what a period begun now pins), batched per request */
    latestPolicy: new DataLoader<string, PolicyDoc | null>(async (codes) => {
      const rows = await models.ContractPolicy.find({ code: { $in: [...codes] } }).sort({ code: 1, version: -1 }).lean<PolicyDoc[]>();
      return codes.map((code) => rows.find((row) => row.code === code) ?? null);
    }),
    subscriptionsOfOrganization: groupLoader(
      (orgIds) => models.Subscription.find({ organizationId: { $in: orgIds } }).sort({ _id: 1 }).lean<SubscriptionDoc[]>(),
      (s) => s.organizationId,
    ),
  };
}
export type BillingLoaders = ReturnType<typeof billingLoaders>;
