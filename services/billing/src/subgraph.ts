import { createMailer, createRemoteTokenVerifier, type SubgraphDefinition } from '@omurga/shared';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { connectServiceTemporal } from '@omurga/shared/temporal';
import { billingActivities } from './activities.ts';
import { termsObjectionBillingActivities } from './subscription-requests.ts';
import { organizationStandingActivities } from './organization-standing.ts';
import { subscriptionImportActivities } from './subscription-import.ts';
import { billingPersonalDataActivities } from './personal-data-activities.ts';
import { loadBillingConfig } from './billing-config.ts';
import { seedCatalogue } from './catalogue-seed.ts';
import { createBillingOutbox } from './emails.ts';
import { creditNotePdfRenderer, invoicePdfRenderer } from './invoices/pdf.ts';
import { invoicePdfRoutes } from './invoices/pdf-route.ts';
import { ublTrCreditNote, ublTrDocument } from './invoices/ubl-tr.ts';
import { selectEInvoiceIntegrator } from './einvoice/sandbox.ts';
import { billingLoaders, type BillingLoaders } from './loaders.ts';
import { billingModels } from './models/index.ts';
import { selectPaymentProvider } from './payments/select-provider.ts';
import { selectCardCapture } from './payments/select-card-capture.ts';
import { cardCaptureCallbackRoutes } from './payments/card-capture-callback.ts';
import { sandboxCardPageRoutes } from './payments/sandbox-card-page.ts';
import { billingResolvers } from './resolvers/index.ts';

export const billingSubgraph: SubgraphDefinition<BillingLoaders> = {
  name: 'billing',
  schemaFile: new URL('./schema.graphql', import.meta.url),
  async setup({ db, config, logger }) {
    const models = billingModels(db);
    await Promise.all(Object.values(models).map((model) => model.init()));
    const seeded = await seedCatalogue(models);
    if (seeded.policiesInserted || seeded.plansInserted) logger.info(seeded, 'catalogue presets seeded');
    const { seller, eInvoice, ...settings } = loadBillingConfig();
    const ubl = ublTrDocument({ ...seller, ...eInvoice.sellerPlace }, eInvoice.companyProfile);
    const creditNoteUbl = ublTrCreditNote({ ...seller, ...eInvoice.sellerPlace });
    const eInvoices = { integrator: selectEInvoiceIntegrator(eInvoice.integrator, db), document: ubl };
    const verifier = createRemoteTokenVerifier(config.auth.jwksUrl, config.auth);
    const payments = selectPaymentProvider(process.env, db);
    const cardCapture = { capture: selectCardCapture(payments.provider.name, process.env, db, config.publicAppUrl, (message) => logger.warn(message)), publicBaseUrl: config.publicAppUrl };
    const mailer = createMailer(config);
    const temporal = await connectServiceTemporal({
      service: 'billing',
      taskQueue: TASK_QUEUES.billing,
      config,
      logger,
      activities: (client) => ({
        ...billingActivities({
          models,
          provider: payments.provider,
          providerTimeoutMs: payments.timeoutMs,
          outbox: createBillingOutbox({ models, mailer, logger }),
          ...settings,
        }),
        ...billingPersonalDataActivities(models, client),
        ...termsObjectionBillingActivities(models),
        ...organizationStandingActivities(models, client),
        ...subscriptionImportActivities(models, client, payments.provider.name),
      }),
    });
    return {
      resolvers: billingResolvers({ models, temporal: temporal.client, paymentProvider: payments.provider.name, charging: { provider: payments.provider, timeoutMs: payments.timeoutMs }, eInvoices, creditNotePrefix: settings.creditNotePrefix, cardCapture }),
      loaders: () => billingLoaders(models),
      verifier,
      routes: (app) => {
        invoicePdfRoutes({
          models,
          verify: verifier,
          logger,
          render: invoicePdfRenderer(seller),
          ubl: (invoice) => ubl(invoice).xml,
          creditNotes: { render: creditNotePdfRenderer(seller), ubl: creditNoteUbl },
        })(app);
        cardCaptureCallbackRoutes({ models, temporal: temporal.client, ...cardCapture, logger })(app);
        if (cardCapture.capture.provider === 'sandbox') sandboxCardPageRoutes(db)(app);
      },
      readiness: {
        temporal: async () => {
          if (!temporal.running()) throw new Error('activity worker not running');
        },
      },
      close: async () => {
        await temporal.close();
        mailer.close();
      },
    };
  },
};
