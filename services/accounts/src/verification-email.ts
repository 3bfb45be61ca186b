import { issueActionToken } from './action-tokens.ts';
import type { AccountsDeps } from './deps.ts';
import type { AccountsModels, UserDoc } from './models.ts';
import { changeOrganization } from './organization-lifecycle.ts';

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

/** The address is proven (a link reached it): the person is verified and the organisations they own become active. */
export async function markEmailVerified(models: AccountsModels, user: UserDoc): Promise<void> {
  await models.User.updateOne({ _id: user._id, emailVerifiedAt: null }, { $set: { emailVerifiedAt: new Date() } });
  const owned = await models.Membership.find({ userId: user._id, role: 'OWNER' }).lean();
  for (const membership of owned) {
    await changeOrganization(models, membership.organizationId.toString(), { type: 'activate' }, { kind: 'user', id: user._id.toString() });
  }
}
