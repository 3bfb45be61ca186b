import { z } from 'zod';
import { requireAuthenticated, type Resolvers } from '@omurga/shared';
import { consumeActionToken, issueActionToken, peekActionToken } from '../action-tokens.ts';
import type { AccountsDeps, Ctx } from '../deps.ts';
import { emailAddress } from '../inputs.ts';
import type { UserDoc } from '../models.ts';
import { passwordProblem } from '../password-policy.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { refreshSession, revokeAllSessions, revokeSession, startSession } from '../sessions.ts';
import { THROTTLE_RULES, loginAccountKey, loginSourceKey } from '../throttle.ts';
import { markEmailVerified, sendVerificationEmail } from '../verification-email.ts';
import { failure, invalidInput, signedIn } from './payloads.ts';

const logInInput = z.object({
  email: z.string().trim().toLowerCase().max(254),
  password: z.string().max(1024),
});

/** ACC-3, ACC-4: verification, sign-in, refresh, sign-out and password reset. */
export function sessionResolvers(deps: AccountsDeps): Resolvers {
  const { models, keys, config, throttle, outbox } = deps;

  /**
   * Always true, and answered before looking the address up: the work for an
   * existing account happens after the response, so neither the answer nor
   * its timing tells whether the address has an account (ACC-4).
   */
  async function answerWithoutEnumeration(email: string, purpose: string, work: (address: string) => Promise<void>): Promise<true> {
    const parsed = emailAddress.safeParse(email);
    if (!parsed.success) return true;
    const key = `${purpose}:${parsed.data}`;
    if (await throttle.blockedFor(key, THROTTLE_RULES.passwordResetPerAccount)) return true;
    await throttle.hit(key, THROTTLE_RULES.passwordResetPerAccount);
    void work(parsed.data).catch((error: unknown) => deps.logger.error({ err: error, purpose }, 'could not send the e-mail'));
    return true;
  }

  return {
    Mutation: {
      logIn: async (_: unknown, { input }: { input: unknown }, ctx: Ctx) => {
        const parsed = logInInput.safeParse(input);
        if (!parsed.success) return invalidInput(parsed.error, ctx.locale);
        const { email, password } = parsed.data;
        const counters = { source: loginSourceKey(email, ctx.ip), ip: `login:ip:${ctx.ip ?? 'unknown'}`, account: loginAccountKey(email) };
        const failed = () =>
          Promise.all([
            throttle.hit(counters.source, THROTTLE_RULES.loginPerAccountAndIp),
            throttle.hit(counters.ip, THROTTLE_RULES.loginPerIp),
            throttle.hit(counters.account, THROTTLE_RULES.loginPerAccount),
          ]);
        // Only the misbehaving source is blocked: wrong passwords typed elsewhere do not lock the owner out.
        const wait = Math.max(
          await throttle.blockedFor(counters.source, THROTTLE_RULES.loginPerAccountAndIp),
          await throttle.blockedFor(counters.ip, THROTTLE_RULES.loginPerIp),
        );
        if (wait) return failure(ctx.locale, 'TOO_MANY_ATTEMPTS', null, { minutes: wait });
        const user = await models.User.findOne({ email }).lean<UserDoc>();
        // Many sources guessing one address: only a source the owner signed in from before still gets
        // its password checked (an unknown address never has one, so it behaves like a known one).
        const underAttack = await throttle.blockedFor(counters.account, THROTTLE_RULES.loginPerAccount);
        if (underAttack && !(user && ctx.ip && (await models.Session.exists({ userId: user._id, ip: ctx.ip })))) {
          await failed();
          return failure(ctx.locale, 'TOO_MANY_ATTEMPTS', null, { minutes: underAttack });
        }
        const valid = await verifyPassword(user?.passwordHash ?? undefined, password);
        if (!user || !valid) {
          await failed();
          return failure(ctx.locale, 'INVALID_CREDENTIALS', ['input', 'password']);
        }
        await throttle.clear(counters.source);
        // Only someone who knows the password learns that the address is unverified.
        if (!user.emailVerifiedAt) return failure(ctx.locale, 'EMAIL_NOT_VERIFIED', ['input', 'email']);
        return signedIn(user, await startSession(user, ctx, models, keys, config));
      },

      refreshSession: async (_: unknown, { refreshToken }: { refreshToken: string }, ctx: Ctx) => {
        const outcome = await refreshSession(refreshToken, ctx, models, keys, config);
        if (!outcome.ok) {
          if (outcome.reuseDetected) deps.logger.warn({ ip: ctx.ip }, 'refresh token reused: session family revoked');
          return failure(ctx.locale, 'INVALID_REFRESH_TOKEN', ['refreshToken']);
        }
        return signedIn(outcome.user, outcome.tokens);
      },

      logOut: async (_: unknown, __: unknown, ctx: Ctx) => {
        const principal = requireAuthenticated(ctx);
        if ((principal.kind === 'user' || principal.kind === 'operator') && principal.sessionId) {
          await revokeSession(models, principal.sessionId, 'LOGGED_OUT');
        }
        return true;
      },

      verifyEmail: async (_: unknown, { token }: { token: string }, ctx: Ctx) => {
        const used = await consumeActionToken(models, 'EMAIL_VERIFICATION', token);
        const user = used?.userId ? await models.User.findOne({ _id: used.userId, email: used.email }).lean<UserDoc>() : null;
        if (!used || !user) return failure(ctx.locale, 'INVALID_OR_EXPIRED_TOKEN', ['token']);
        await markEmailVerified(models, user);
        const verified = { ...user, emailVerifiedAt: user.emailVerifiedAt ?? new Date() };
        return signedIn(verified, await startSession(verified, ctx, models, keys, config));
      },

      resendVerificationEmail: (_: unknown, { email }: { email: string }) =>
        answerWithoutEnumeration(email, 'verify', async (address) => {
          const user = await models.User.findOne({ email: address, emailVerifiedAt: null }).lean<UserDoc>();
          if (user?.passwordHash) await sendVerificationEmail(deps, user);
        }),

      requestPasswordReset: (_: unknown, { email }: { email: string }) =>
        answerWithoutEnumeration(email, 'reset', async (address) => {
          const user = await models.User.findOne({ email: address, erasedAt: null }).lean<UserDoc>();
          if (!user) return;
          const { token, id } = await issueActionToken(models, 'PASSWORD_RESET', { email: user.email, userId: user._id });
          await outbox.send('passwordReset', id, user.email, user.locale, { name: user.firstName, link: outbox.link('/reset-password', token) });
        }),

      resetPassword: (_: unknown, { token, newPassword }: { token: string; newPassword: string }, ctx: Ctx) =>
        resetPassword(deps, token, newPassword, ctx),
    },
  };
}

/**
 * Checks the new password against the policy before using the link up, so a
 * rejected password does not burn it; then sets it and ends every session.
 */
async function resetPassword(deps: AccountsDeps, token: string, newPassword: string, ctx: Ctx) {
  const { models, keys, config } = deps;
  const pending = await peekActionToken(models, 'PASSWORD_RESET', token);
  // The link is bound to the address it went to: after an e-mail change it no longer works.
  const owner = pending?.userId ? await models.User.findOne({ _id: pending.userId, email: pending.email, erasedAt: null }).lean<UserDoc>() : null;
  if (!pending || !owner) return failure(ctx.locale, 'INVALID_OR_EXPIRED_TOKEN', ['token']);
  const problem = passwordProblem(newPassword, owner);
  if (problem) return failure(ctx.locale, problem, ['newPassword'], { min: 10, max: 128 });
  const used = await consumeActionToken(models, 'PASSWORD_RESET', token);
  if (!used) return failure(ctx.locale, 'INVALID_OR_EXPIRED_TOKEN', ['token']);
  // The link came to this address, so it is verified too (an operator's first password, say).
  await models.User.updateOne({ _id: owner._id }, { $set: { passwordHash: await hashPassword(newPassword) } });
  await markEmailVerified(models, owner);
  await revokeAllSessions(models, owner._id, 'PASSWORD_RESET');
  await deps.throttle.clear(loginAccountKey(owner.email));
  const user = (await models.User.findById(owner._id).lean<UserDoc>())!;
  return signedIn(user, await startSession(user, ctx, models, keys, config));
}
