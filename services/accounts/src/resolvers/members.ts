import { Types } from 'mongoose';
import { MEMBER_ROLES, badUserInput, type MemberRole, type Resolvers, isDuplicateKeyError } from '@omurga/shared';
import { consumeActionToken, peekActionToken } from '../action-tokens.ts';
import type { AccountsDeps, Ctx } from '../deps.ts';
import { acceptInvitationInput, emailAddress } from '../inputs.ts';
import { sendInvitation } from '../invitations.ts';
import { addMember, changeRole } from '../memberships.ts';
import type { UserDoc } from '../models.ts';
import { changeOrganization } from '../organization-lifecycle.ts';
import { passwordProblem } from '../password-policy.ts';
import { hashPassword } from '../passwords.ts';
import { accessTokenFor, startSession } from '../sessions.ts';
import { MANAGERS, requireMemberRole } from './access.ts';
import { failure, invalidInput, ok, refused, signedIn } from './payloads.ts';
import { checkAcceptances, handOverAcceptances } from './sign-up.ts';

/** Only an owner may make someone an owner; admins manage everyone else. */
function mayAssign(actorRole: MemberRole, role: MemberRole) {
  return actorRole === 'OWNER' || role !== 'OWNER';
}

/** ACC-5: invitations by e-mail, one login per person, roles, and never losing the last owner. */
export function memberResolvers(deps: AccountsDeps): Resolvers {
  const { models, keys, config } = deps;

  return {
    Mutation: {
      inviteMember: async (_: unknown, args: { organizationId: string; email: string; role: MemberRole }, ctx: Ctx) => {
        const actor = await requireMemberRole(deps, ctx, args.organizationId, MANAGERS);
        const email = emailAddress.safeParse(args.email);
        if (!email.success) throw badUserInput(ctx.locale, 'email');
        if (!MEMBER_ROLES.includes(args.role) || !mayAssign(actor.role, args.role)) throw badUserInput(ctx.locale, 'role');
        await sendInvitation(deps, { organizationId: new Types.ObjectId(args.organizationId), email: email.data, role: args.role, invitedBy: actor.userId, locale: ctx.locale });
        return true;
      },

      acceptInvitation: async (_: unknown, { input }: { input: unknown }, ctx: Ctx) => {
        const parsed = acceptInvitationInput.safeParse(input);
        if (!parsed.success) return invalidInput(parsed.error, ctx.locale);
        const data = parsed.data;
        const invitation = await peekActionToken(models, 'INVITATION', data.token);
        if (!invitation?.organizationId || !invitation.role) return failure(ctx.locale, 'INVALID_OR_EXPIRED_TOKEN', ['input', 'token']);
        const org = await models.Organization.findById(invitation.organizationId).lean();
        // ACC-2: whoever takes ownership of a company declares authority to bind it.
        const declaresAuthority = invitation.role === 'OWNER' && org?.customerType === 'CORPORATE' && !org.authorityDeclaredBy;
        if (declaresAuthority && data.authorityConfirmed !== true) return failure(ctx.locale, 'AUTHORITY_CONFIRMATION_REQUIRED', ['input', 'authorityConfirmed']);
        const existing = await models.User.findOne({ email: invitation.email }).lean<UserDoc>();
        if (existing) {
          // One login per person: an existing account joins, it is never duplicated.
          const principal = ctx.principal;
          if (principal.kind !== 'user' || principal.userId !== existing._id.toString()) {
            return failure(ctx.locale, 'SIGN_IN_REQUIRED', ['input', 'token']);
          }
          if (!(await consumeActionToken(models, 'INVITATION', data.token))) return failure(ctx.locale, 'INVALID_OR_EXPIRED_TOKEN', ['input', 'token']);
          await joinOrganization(invitation.organizationId, existing._id, invitation.role);
          return signedIn(existing, await accessTokenFor(existing, models, keys, config, principal.sessionId));
        }
        const missing = (['firstName', 'lastName', 'password'] as const).filter((field) => !data[field]);
        if (missing.length) return { userErrors: missing.flatMap((field) => failure(ctx.locale, 'REQUIRED', ['input', field]).userErrors) };
        if (!data.ageConfirmed) return failure(ctx.locale, 'AGE_CONFIRMATION_REQUIRED', ['input', 'ageConfirmed']);
        const person = { email: invitation.email, firstName: data.firstName!, lastName: data.lastName! };
        const problem = passwordProblem(data.password!, person);
        if (problem) return failure(ctx.locale, problem, ['input', 'password'], { min: 10, max: 128 });
        const accepted = await checkAcceptances(deps, data.acceptedDocumentVersionIds ?? [], ctx, ['input', 'acceptedDocumentVersionIds']);
        if (!Array.isArray(accepted)) return accepted;
        if (!(await consumeActionToken(models, 'INVITATION', data.token))) return failure(ctx.locale, 'INVALID_OR_EXPIRED_TOKEN', ['input', 'token']);
        const now = new Date();
        let user: UserDoc;
        try {
          const created = await models.User.create({
            ...person,
            passwordHash: await hashPassword(data.password!),
            emailVerifiedAt: now, // the link reached this address
            locale: ctx.locale,
            ageConfirmedAt: now,
            marketingEmailOptIn: data.marketingEmailOptIn ?? false,
            signUpIp: ctx.ip ?? null,
          });
          user = created.toObject();
        } catch (error) {
          if (isDuplicateKeyError(error)) return failure(ctx.locale, 'SIGN_IN_REQUIRED', ['input', 'token']);
          throw error;
        }
        try {
          await handOverAcceptances(deps, ctx, { userId: user._id.toString(), organizationId: invitation.organizationId.toString(), accepted, acceptedAt: now });
        } catch (error) {
          // No account without its acceptance evidence (CON-2).
          await models.User.deleteOne({ _id: user._id });
          throw error;
        }
        await joinOrganization(invitation.organizationId, user._id, invitation.role);
        return signedIn(user, await startSession(user, ctx, models, keys, config));
      },

      changeMemberRole: async (_: unknown, args: { organizationId: string; userId: string; role: MemberRole }, ctx: Ctx) => {
        const actor = await requireMemberRole(deps, ctx, args.organizationId, MANAGERS);
        if (!MEMBER_ROLES.includes(args.role) || !mayAssign(actor.role, args.role)) throw badUserInput(ctx.locale, 'role');
        const problem = await changeRole(models, args.organizationId, args.userId, args.role, (current) => mayAssign(actor.role, current));
        if (problem === 'NOT_ALLOWED') throw badUserInput(ctx.locale, 'userId');
        return problem ? refused(ctx.locale, problem, ['userId']) : ok;
      },

      removeMember: async (_: unknown, args: { organizationId: string; userId: string }, ctx: Ctx) => {
        const principal = ctx.principal;
        // Anyone may leave; managers may remove others (admins cannot remove owners).
        const leaving = principal.kind === 'user' && principal.userId === args.userId;
        const actor = await requireMemberRole(deps, ctx, args.organizationId, leaving ? MEMBER_ROLES : MANAGERS);
        const problem = await changeRole(models, args.organizationId, args.userId, null, (current) => leaving || mayAssign(actor.role, current));
        if (problem === 'NOT_ALLOWED') throw badUserInput(ctx.locale, 'userId');
        return problem ? refused(ctx.locale, problem, ['userId']) : ok;
      },
    },
  };

  /** Adds the membership; an organisation opened by a partner becomes active when its owner joins. */
  async function joinOrganization(organizationId: Types.ObjectId, userId: Types.ObjectId, role: MemberRole) {
    await addMember(models, organizationId, userId, role);
    if (role === 'OWNER') {
      await models.Organization.updateOne(
        { _id: organizationId, customerType: 'CORPORATE', authorityDeclaredBy: null },
        { $set: { authorityDeclaredBy: userId.toString(), authorityDeclaredAt: new Date() } },
      );
      await changeOrganization(models, organizationId.toString(), { type: 'activate' }, { kind: 'user', id: userId.toString() });
    }
  }
}
