import { Types } from 'mongoose';
import type { Locale, MemberRole } from '@omurga/shared';
import { issueActionToken } from './action-tokens.ts';
import type { AccountsDeps } from './deps.ts';

/** ACC-5: a single-use, 7-day link that makes `email` a member with `role`. */
export async function sendInvitation(
  deps: Pick<AccountsDeps, 'models' | 'outbox'>,
  invitation: { organizationId: Types.ObjectId; email: string; role: MemberRole; invitedBy: string; locale: Locale },
): Promise<void> {
  const { models, outbox } = deps;
  const org = await models.Organization.findById(invitation.organizationId).lean();
  if (!org) return;
  const inviter = Types.ObjectId.isValid(invitation.invitedBy) ? await models.User.findById(invitation.invitedBy).lean() : null;
  const { token, id } = await issueActionToken(models, 'INVITATION', {
    email: invitation.email,
    organizationId: invitation.organizationId,
    role: invitation.role,
    createdBy: invitation.invitedBy,
  });
  await outbox.send('invitation', id, invitation.email, invitation.locale, {
    organization: org.name,
    inviter: inviter ? `${inviter.firstName} ${inviter.lastName}` : org.name,
    role: invitation.role,
    link: outbox.link('/accept-invitation', token),
  });
}
