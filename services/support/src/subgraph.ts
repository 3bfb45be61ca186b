import { createRemoteTokenVerifier, isIsoDuration, type SubgraphDefinition } from '@omurga/shared';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { connectServiceTemporal, emitWebhookEvent } from '@omurga/shared/temporal';
import { abusiveWordMatcher, loadAbusiveWords } from './abuse.ts';
import { supportActivities } from './activities.ts';
import { attachmentRoute } from './attachments.ts';
import { temporalSupportMailer } from './emails.ts';
import { subgraphReader } from './federation.ts';
import { supportLoaders, type SupportLoaders } from './loaders.ts';
import { supportModels } from './models.ts';
import { supportPersonalDataActivities } from './personal-data.ts';
import { supportResolvers } from './resolvers.ts';
import { temporalTicketClock } from './sla.ts';
import { temporalConversions } from './ticket-conversion.ts';
import type { TicketDeps } from './tickets.ts';

/**
 * Settings read from the environment (support's own; the shared config has none):
 * SUPPORT_ESCALATION_EMAIL receives SLA escalations and abuse flags, because
 * the agents' addresses are kept by accounts; SUPPORT_AUTO_CLOSE_AFTER and
 * SUPPORT_AUTO_CLOSE_WARNING are ISO-8601 durations (SUP-2).
 */
function supportSettings(env: NodeJS.ProcessEnv = process.env) {
  const duration = (name: string, fallback: string) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    if (!isIsoDuration(value)) throw new Error(`${name} must be an ISO-8601 duration, got ${value}`);
    return value;
  };
  return {
    escalationEmail: env.SUPPORT_ESCALATION_EMAIL || 'support-escalations@omurga.local',
    autoClose: { after: duration('SUPPORT_AUTO_CLOSE_AFTER', 'P7D'), warning: duration('SUPPORT_AUTO_CLOSE_WARNING', 'P2D') },
    installationWindowDays: 30,
  };
}

export const supportSubgraph: SubgraphDefinition<SupportLoaders> = {
  name: 'support',
  schemaFile: new URL('./schema.graphql', import.meta.url),
  async setup({ db, config, logger }) {
    const models = supportModels(db);
    await Promise.all(Object.values(models).map((model) => model.init()));
    const federation = subgraphReader({ billing: config.subgraphs.billing.url, accounts: config.subgraphs.accounts.url });
    const findAbusiveTerms = abusiveWordMatcher(loadAbusiveWords());
    const settings = supportSettings();
    // The activities need the client the worker connects with, hence the factory.
    let deps: TicketDeps | undefined;
    const temporal = await connectServiceTemporal({
      service: 'support',
      taskQueue: TASK_QUEUES.support,
      activities: (client) => {
        deps = {
          models,
          clock: temporalTicketClock(client, logger),
          mailer: temporalSupportMailer(client, logger),
          logger,
          findAbusiveTerms,
          conversions: temporalConversions(client),
          emitEvent: (event) => emitWebhookEvent(client, event),
          ...settings,
        };
        return { ...supportActivities(deps), ...supportPersonalDataActivities(models) };
      },
      config,
      logger,
    });
    if (!deps) throw new Error('support activities were not built');
    const ticketDeps: TicketDeps = deps;
    const verify = createRemoteTokenVerifier(config.auth.jwksUrl, config.auth);
    return {
      resolvers: supportResolvers(ticketDeps),
      loaders: (ctx) => supportLoaders(models, federation, logger, ctx),
      verifier: verify,
      routes: (app) => {
        attachmentRoute(app, {
          models,
          verify,
          logger,
          partnerOrganizations: (ctx) => (ctx.principal.kind === 'partner' ? federation(ctx.authorization).partnerCustomerIds() : Promise.resolve([])),
        });
      },
      readiness: {
        temporal: async () => {
          if (!temporal.running()) throw new Error('activity worker not running');
        },
      },
      close: () => temporal.close(),
    };
  },
};
