import DataLoader from 'dataloader';
import { groupedByKey, inKeyOrder, isEntityId } from '@omurga/shared';
import type { BillingModels, PlanDoc, PolicyDoc, SubscriptionDoc } from './models.ts';

export function billingLoaders(models: BillingModels) {
  return {
    plan: new DataLoader<string, PlanDoc | null>(async (ids) => {
      const valid = ids.filter(isEntityId);
      return inKeyOrder(ids, await models.Plan.find({ _id: { $in: valid } }).lean<PlanDoc[]>(), (p) => p._id.toString());
    }),
    policy: new DataLoader<string, PolicyDoc | null>(async (ids) => {
      const valid = ids.filter(isEntityId);
      return inKeyOrder(ids, await models.ContractPolicy.find({ _id: { $in: valid } }).lean<PolicyDoc[]>(), (p) => p._id.toString());
    }),
    /** Organization.subscriptions for every organisation in one query */
    subscriptionsOfOrganization: new DataLoader<string, SubscriptionDoc[]>(async (orgIds) => {
      const rows = await models.Subscription.find({ organizationId: { $in: [...orgIds] } }).sort({ _id: 1 }).lean<SubscriptionDoc[]>();
      return groupedByKey(orgIds, rows, (s) => s.organizationId);
    }),
  };
}
export type BillingLoaders = ReturnType<typeof billingLoaders>;
