import { issueActionToken } from './action-tokens.ts';
import type { AccountsDeps } from './deps.ts';
import type { UserDoc } from './models.ts';

/** ACC-3: a single-use, expiring link to the person's address, with the customer code of the organisation they own. */
export async function sendVerificationEmail(deps: Pick<AccountsDeps, 'models' | 'outbox'>, user: UserDoc): Promise<void> {
  const { models, outbox } = deps;
  const { token, id } = await issueActionToken(models, 'EMAIL_VERIFICATION', { email: user.email, userId: user._id });
  const membership = await models.Membership.findOne({ userId: user._id, role: 'OWNER' }).lean();
  const org = membership ? await models.Organization.findById(membership.organizationId).lean() : null;
  await outbox.send('verifyEmail', id, user.email, user.locale, {
    name: user.firstName,
    link: outbox.link('/verify-email', token),
    customerCode: org?.customerCode ?? '-',
  });
}
