import { createLocalTokenVerifier, type SubgraphDefinition } from '@omurga/shared';
import { bootstrapOperator } from './bootstrap-operator.ts';
import { accountsLoaders, type AccountsLoaders } from './loaders.ts';
import { accountsModels } from './models.ts';
import { accountsResolvers } from './resolvers.ts';
import { loadSigningKeys } from './signing-keys.ts';

export const accountsSubgraph: SubgraphDefinition<AccountsLoaders> = {
  name: 'accounts',
  schemaFile: new URL('./schema.graphql', import.meta.url),
  async setup({ db, config, logger }) {
    const models = accountsModels(db);
    await Promise.all(Object.values(models).map((model) => model.init()));
    const keys = await loadSigningKeys(models);
    await bootstrapOperator(models, config, logger);
    return {
      resolvers: accountsResolvers(models, keys, config),
      loaders: () => accountsLoaders(models),
      verifier: createLocalTokenVerifier(keys.verificationKeys, config.auth),
      routes: (app) => {
        // Internal: subgraphs and the gateway fetch the token-verification keys here.
        app.get('/.well-known/jwks.json', (_req, res) => {
          res.set('Cache-Control', 'public, max-age=300').json(keys.jwks);
        });
      },
    };
  },
};
