import type { SubgraphDefinition } from '@omurga/shared';
import { billingLoaders, type BillingLoaders } from './loaders.ts';
import { billingModels } from './models.ts';
import { billingResolvers } from './resolvers.ts';

export const billingSubgraph: SubgraphDefinition<BillingLoaders> = {
  name: 'billing',
  schemaFile: new URL('./schema.graphql', import.meta.url),
  async setup({ db }) {
    const models = billingModels(db);
    await Promise.all(Object.values(models).map((model) => model.init()));
    return { resolvers: billingResolvers(models), loaders: () => billingLoaders(models) };
  },
};
