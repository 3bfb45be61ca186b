import type { SubgraphDefinition } from '@omurga/shared';
import { supportLoaders, type SupportLoaders } from './loaders.ts';
import { supportModels } from './models.ts';
import { supportResolvers } from './resolvers.ts';

export const supportSubgraph: SubgraphDefinition<SupportLoaders> = {
  name: 'support',
  schemaFile: new URL('./schema.graphql', import.meta.url),
  async setup({ db }) {
    const models = supportModels(db);
    await Promise.all(Object.values(models).map((model) => model.init()));
    return { resolvers: supportResolvers(models), loaders: () => supportLoaders(models) };
  },
};
