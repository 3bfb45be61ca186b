import { createRemoteTokenVerifier, mergeResolvers, type SubgraphDefinition } from '@omurga/shared';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { connectServiceTemporal } from '@omurga/shared/temporal';
import { consentRequestActivities } from './activities.ts';
import { backOfficeResolvers } from './back-office.ts';
import { consentBreachActivities } from './breach-activities.ts';
import { commercialMessageActivities, commercialMessageResolvers } from './commercial-messages.ts';
import { receiptSettings } from './consent-ledger.ts';
import { createConsentOutbox } from './emails.ts';
import { endUserRequestModel } from './end-user-requests.ts';
import { consentLoaders, type ConsentLoaders } from './loaders.ts';
import { consentModels } from './models.ts';
import { consentResolvers } from './resolvers.ts';
import { legalAcceptanceActivities } from './acceptances.ts';
import { termsRolloutActivities } from './terms-activities.ts';
import { ticketRequestActivities, ticketRequestResolvers } from './ticket-requests.ts';
import { publishInitialLegalDocuments } from './initial-legal-documents.ts';
import { consentPersonalDataActivities } from './personal-data/activities.ts';
import { exportRoutes } from './personal-data/export-route.ts';
import { personalDataResolvers } from './personal-data/resolvers.ts';
import { ensurePeriodicDestructionSchedule } from './personal-data/schedule.ts';

export const consentSubgraph: SubgraphDefinition<ConsentLoaders> = {
  name: 'consent',
  schemaFile: new URL('./schema.graphql', import.meta.url),
  async setup({ db, config, logger }) {
    const models = consentModels(db);
    const endUserRequests = endUserRequestModel(db);
    await Promise.all([...Object.values(models), endUserRequests].map((model) => model.init()));
    await publishInitialLegalDocuments(models);
    const receipts = receiptSettings(config.publicAppUrl);
    // The data-subject request, breach, acceptance-record (CON-2) and terms-rollout (CON-4) activities.
    const temporal = await connectServiceTemporal({
      service: 'consent',
      taskQueue: TASK_QUEUES.consent,
      activities: (client) => {
        const outbox = createConsentOutbox({ temporal: client, publicAppUrl: config.publicAppUrl, logger });
        return {
          ...consentRequestActivities(models, outbox),
          ...consentBreachActivities(models, endUserRequests, outbox),
          ...legalAcceptanceActivities(models, client, receipts),
          ...termsRolloutActivities({ models, temporal: client, publicAppUrl: config.publicAppUrl }),
          ...consentPersonalDataActivities(models),
          ...commercialMessageActivities({ models, outbox, publicAppUrl: config.publicAppUrl }),
          ...ticketRequestActivities(models, client),
        };
      },
      config,
      logger,
    });
    await ensurePeriodicDestructionSchedule(temporal.client);
    const verifier = createRemoteTokenVerifier(config.auth.jwksUrl, config.auth);
    return {
      resolvers: mergeResolvers(
        consentResolvers(models, temporal.client, receipts, endUserRequests),
        personalDataResolvers(models, temporal.client),
        commercialMessageResolvers(models, temporal.client),
        ticketRequestResolvers,
        backOfficeResolvers(models, temporal.client, endUserRequests),
      ),
      verifier,
      routes: exportRoutes({ models, verify: verifier }),
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
