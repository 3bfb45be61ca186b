import type { SubgraphDefinition } from '@omurga/shared';
import { consentLoaders, type ConsentLoaders } from './loaders.ts';
import { consentModels } from './models.ts';
import { consentResolvers } from './resolvers.ts';
import { publishInitialLegalDocuments } from './initial-legal-documents.ts';

export const consentSubgraph: SubgraphDefinition<ConsentLoaders> = {
  name: 'consent',
  schemaFile: new URL('./schema.graphql', import.meta.url),
  async setup({ db }) {
    const models = consentModels(db);
    await Promise.all(Object.values(models).map((model) => model.init()));
    await publishInitialLegalDocuments(models);
    return { resolvers: consentResolvers(models), loaders: () => consentLoaders(models) };
  },
};
