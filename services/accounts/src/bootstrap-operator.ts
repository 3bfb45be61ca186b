import type { Logger, PlatformConfig } from '@omurga/shared';
import type { AccountsModels } from './models.ts';
import { hashPassword } from './passwords.ts';

/**
 * Creates the super-admin operator named by BOOTSTRAP_OPERATOR_EMAIL and
 * BOOTSTRAP_OPERATOR_PASSWORD if it does not exist yet. An existing account is
 * left exactly as it is (its password may have been changed since).
 */
export async function bootstrapOperator(models: AccountsModels, config: PlatformConfig, logger: Logger): Promise<void> {
  const seed = config.bootstrapOperator;
  if (!seed) return;
  const email = seed.email.trim().toLowerCase();
  if (await models.User.exists({ email })) return;
  const result = await models.User.updateOne(
    { email },
    {
      $setOnInsert: {
        email,
        passwordHash: await hashPassword(seed.password),
        firstName: 'Platform',
        lastName: 'Operator',
        emailVerifiedAt: new Date(),
        operatorRoles: ['SUPER_ADMIN'],
      },
    },
    { upsert: true },
  );
  if (result.upsertedCount) logger.info({ email }, 'bootstrap super-admin operator created');
}
