import type { Client } from '@temporalio/client';
import type { Logger, PlatformConfig, SubgraphContext } from '@omurga/shared';
import type { Outbox } from './emails.ts';
import type { LegalDocumentSource } from './legal-documents.ts';
import type { AccountsLoaders } from './loaders.ts';
import type { AccountsModels } from './models.ts';
import type { SigningKeys } from './signing-keys.ts';
import type { Throttle } from './throttle.ts';
import type { WebhookSettings } from './webhooks/settings.ts';

/** Everything accounts' resolvers work with, built once at start-up. */
export interface AccountsDeps {
  models: AccountsModels;
  keys: SigningKeys;
  config: PlatformConfig;
  logger: Logger;
  outbox: Outbox;
  temporal: Client;
  throttle: Throttle;
  legalDocuments: LegalDocumentSource;
  webhooks: WebhookSettings;
}

export type Ctx = SubgraphContext<AccountsLoaders>;
