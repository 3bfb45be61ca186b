import { requireUser, withId, type Resolvers, isDuplicateKeyError } from '@omurga/shared';
import { consumeActionToken, issueActionToken } from '../action-tokens.ts';
import type { AccountsDeps, Ctx } from '../deps.ts';
import { emailAddress } from '../inputs.ts';
import type { UserDoc } from '../models.ts';
import { verifyPassword } from '../passwords.ts';
import { THROTTLE_RULES } from '../throttle.ts';
import { failure, ok, refused } from './payloads.ts';

/**
 * ACC-8: a new address takes effect only when confirmed from that address;
 * the current address is told at the request and again at the change.
 */
export function emailChangeResolvers(deps: AccountsDeps): Resolvers {
  const { models, outbox, throttle } = deps;
  return {
    Mutation: {
      requestEmailChange: async (_: unknown, args: { newEmail: string; password: string }, ctx: Ctx) => {
        const principal = requireUser(ctx);
        const user = await models.User.findById(principal.userId).lean<UserDoc>();
        if (!user) return refused(ctx.locale, 'INVALID_CREDENTIALS', ['password']);
        // Its own counter: a stolen session cannot guess faster than the login door, and failed logins elsewhere do not block it.
        const throttleKey = `email-change:${String(user._id)}`;
        const wait = await throttle.blockedFor(throttleKey, THROTTLE_RULES.passwordConfirmPerUser);
        if (wait) return refused(ctx.locale, 'TOO_MANY_ATTEMPTS', null, { minutes: wait });
        if (!(await verifyPassword(user.passwordHash ?? undefined, args.password))) {
          await throttle.hit(throttleKey, THROTTLE_RULES.passwordConfirmPerUser);
          return refused(ctx.locale, 'INVALID_CREDENTIALS', ['password']);
        }
        const parsed = emailAddress.safeParse(args.newEmail);
        if (!parsed.success) return refused(ctx.locale, 'INVALID_EMAIL', ['newEmail']);
        if (parsed.data === user.email) return refused(ctx.locale, 'SAME_EMAIL', ['newEmail']);
        // Whether the new address is taken is only revealed at confirmation, to its holder.
        const { token, id } = await issueActionToken(models, 'EMAIL_CHANGE', { email: parsed.data, userId: user._id });
        await Promise.all([
          outbox.send('confirmEmailChange', id, parsed.data, user.locale, { name: user.firstName, link: outbox.link('/confirm-email-change', token) }),
          outbox.send('emailChangeRequested', id, user.email, user.locale, { name: user.firstName, newEmail: parsed.data }),
        ]);
        return ok;
      },

      confirmEmailChange: async (_: unknown, { token }: { token: string }, ctx: Ctx) => {
        const used = await consumeActionToken(models, 'EMAIL_CHANGE', token);
        const user = used?.userId ? await models.User.findById(used.userId).lean<UserDoc>() : null;
        if (!used || !user) return failure(ctx.locale, 'INVALID_OR_EXPIRED_TOKEN', ['token']);
        try {
          await models.User.updateOne({ _id: user._id }, { $set: { email: used.email, emailVerifiedAt: new Date() } });
        } catch (error) {
          if (isDuplicateKeyError(error)) return failure(ctx.locale, 'EMAIL_TAKEN', ['token']);
          throw error;
        }
        await models.ActionToken.updateMany(
          { userId: user._id, purpose: { $in: ['PASSWORD_RESET', 'EMAIL_VERIFICATION', 'EMAIL_CHANGE'] }, usedAt: null },
          { $set: { usedAt: new Date() } },
        );
        await outbox.send('emailChanged', used._id.toString(), user.email, user.locale, { name: user.firstName, newEmail: used.email });
        const updated = (await models.User.findById(user._id).lean<UserDoc>())!;
        return { user: withId(updated), userErrors: [] };
      },
    },
  };
}
