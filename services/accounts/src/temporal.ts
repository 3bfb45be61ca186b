import type { Logger, PlatformConfig } from '@omurga/shared';
import { TASK_QUEUES } from '@omurga/shared/contracts';
import { connectServiceTemporal, type ServiceTemporal } from '@omurga/shared/temporal';
import { accountsActivities } from './activities.ts';
import type { AccountsModels } from './models.ts';
import { accountsPersonalDataActivities } from './personal-data-activities.ts';
import { subscriptionRunActivities } from './subscription-run.ts';
import { webhookActivities, webhookPublisher } from './webhooks/activities.ts';
import type { WebhookSettings } from './webhooks/settings.ts';

export type AccountsTemporal = ServiceTemporal;

/** accounts' client (e-mail, document deadlines, resource holds) and its activity worker. */
export function connectAccountsTemporal(models: AccountsModels, config: PlatformConfig, logger: Logger, webhooks: WebhookSettings): Promise<AccountsTemporal> {
  return connectServiceTemporal({
    service: 'accounts',
    taskQueue: TASK_QUEUES.accounts,
    activities: (client) => {
      const accounts = accountsActivities(models, client);
      const publish = webhookPublisher(models, client, webhooks);
      return {
        ...accounts,
        ...accountsPersonalDataActivities(models),
        ...webhookActivities(models, client, webhooks, publish),
        ...subscriptionRunActivities(accounts, publish),
      };
    },
    config,
    logger,
  });
}
