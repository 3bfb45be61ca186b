import { createLocalTokenVerifier, type SubgraphDefinition } from '@omurga/shared';
import { bootstrapOperator } from './bootstrap-operator.ts';
import { createOutbox } from './emails.ts';
import { consentSubgraphDocuments } from './legal-documents.ts';
import { accountsLoaders, type AccountsLoaders } from './loaders.ts';
import { accountsModels } from './models.ts';
import { accountsResolvers } from './resolvers/index.ts';
import { loadSigningKeys } from './signing-keys.ts';
import { connectAccountsTemporal } from './temporal.ts';
import { createThrottle } from './throttle.ts';
import { webhookSettings } from './webhooks/settings.ts';

export const accountsSubgraph: SubgraphDefinition<AccountsLoaders> = {
  name: 'accounts',
  schemaFile: new URL('./schema.graphql', import.meta.url),
  async setup({ db, config, logger }) {
    const models = accountsModels(db);
    await Promise.all(Object.values(models).map((model) => model.init()));
    const keys = await loadSigningKeys(models);
    await bootstrapOperator(models, config, logger);
    const webhooks = webhookSettings();
    if (webhooks.developmentKey && process.env.NODE_ENV === 'production') logger.warn('WEBHOOK_SECRET_KEYS is not set: webhook signing secrets are sealed with the development key (README "Webhooks")');
    const temporal = await connectAccountsTemporal(models, config, logger, webhooks);
    const deps = {
      models,
      keys,
      config,
      logger,
      temporal: temporal.client,
      outbox: createOutbox(temporal.client, config, logger),
      throttle: createThrottle(models),
      legalDocuments: consentSubgraphDocuments(config.subgraphs.consent.url),
      webhooks,
    };
    return {
      resolvers: accountsResolvers(deps),
      loaders: () => accountsLoaders(models),
      verifier: createLocalTokenVerifier(keys.verificationKeys, config.auth),
      readiness: {
        temporal: async () => {
          if (!temporal.running()) throw new Error('activity worker not running');
        },
      },
      routes: (app) => {
        // Internal: subgraphs and the gateway fetch the token-verification keys here.
        app.get('/.well-known/jwks.json', (_req, res) => {
          res.set('Cache-Control', 'public, max-age=300').json(keys.jwks);
        });
      },
      close: () => temporal.close(),
    };
  },
};
