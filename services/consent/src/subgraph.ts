import type { SubgraphDefinition } from '@omurga/shared';
import { TASK_QUEUES, connectServiceTemporal } from '@omurga/workflows';
import { consentRequestActivities } from './activities.ts';
import { consentBreachActivities } from './breach-activities.ts';
import { receiptSettings } from './consent-ledger.ts';
import { consentLoaders, type ConsentLoaders } from './loaders.ts';
import { consentModels } from './models.ts';
import { consentResolvers } from './resolvers.ts';
import { publishInitialLegalDocuments } from './initial-legal-documents.ts';

export const consentSubgraph: SubgraphDefinition<ConsentLoaders> = {
  name: 'consent',
  schemaFile: new URL('./schema.graphql', import.meta.url),
  async setup({ db, config, logger }) {
    const models = consentModels(db);
    await Promise.all(Object.values(models).map((model) => model.init()));
    await publishInitialLegalDocuments(models);
    // The data-subject request and breach activities; the terms ones are not registered yet.
    const temporal = await connectServiceTemporal({
      service: 'consent',
      taskQueue: TASK_QUEUES.consent,
      activities: { ...consentRequestActivities(models), ...consentBreachActivities(models) },
      config,
      logger,
    });
    return {
      resolvers: consentResolvers(models, temporal.client, receiptSettings(config.publicAppUrl)),
      loaders: () => consentLoaders(models),
      readiness: {
        temporal: async () => {
          if (!temporal.running()) throw new Error('activity worker not running');
        },
      },
      close: () => temporal.close(),
    };
  },
};
