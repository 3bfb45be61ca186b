import { isDuplicateKeyError } from '@omurga/shared';
import type { AccountsModels } from './models.ts';

export interface ThrottleRule {
  /** failures allowed inside one window */
  limit: number;
  windowMs: number;
}

/** ACC-4 login throttling, and limits on the other doors an attacker could hammer. */
export const THROTTLE_RULES = {
  /** wrong passwords for one address from one source: that source is blocked for that address */
  loginPerAccountAndIp: { limit: 5, windowMs: 15 * 60_000 },
  /**
   * wrong passwords for one address from every source together: past this the
   * address is under attack, and only a source that signed in to it before
   * (or a password reset, the e-mailed unlock) gets through until the window ends
   */
  loginPerAccount: { limit: 20, windowMs: 15 * 60_000 },
  loginPerIp: { limit: 30, windowMs: 15 * 60_000 },
  /** a signed-in user confirming their password (e-mail change) */
  passwordConfirmPerUser: { limit: 5, windowMs: 15 * 60_000 },
  signUpPerIp: { limit: 20, windowMs: 60 * 60_000 },
  passwordResetPerAccount: { limit: 3, windowMs: 60 * 60_000 },
  apiKeyPerIp: { limit: 30, windowMs: 15 * 60_000 },
} satisfies Record<string, ThrottleRule>;

/**
 * Fixed-window counters in accounts' own database, so every instance sees the
 * same counts. Keys are derived from what the caller typed (the normalised
 * e-mail), never from whether an account exists, so throttling reveals nothing.
 */
/** The per-address login counter, shared by every door that checks a password. */
export const loginAccountKey = (email: string) => `login:account:${email}`;
/** The per-address-and-source login counter. */
export const loginSourceKey = (email: string, ip: string | undefined) => `login:pair:${email}:${ip ?? 'unknown'}`;

export function createThrottle(models: AccountsModels) {
  const windowStart = (rule: ThrottleRule) => new Date(Date.now() - rule.windowMs);
  return {
    /** minutes until the key may try again, or 0 when it is not blocked */
    async blockedFor(key: string, rule: ThrottleRule): Promise<number> {
      const row = await models.Throttle.findOne({ _id: key, windowStartedAt: { $gt: windowStart(rule) } }).lean();
      if (!row || row.count < rule.limit) return 0;
      return Math.max(1, Math.ceil((row.windowStartedAt.getTime() + rule.windowMs - Date.now()) / 60_000));
    },
    async hit(key: string, rule: ThrottleRule): Promise<void> {
      // An expired window restarts at zero (conditional, so only one of two racing callers resets it)...
      await models.Throttle.updateOne({ _id: key, windowStartedAt: { $lte: windowStart(rule) } }, { $set: { windowStartedAt: new Date(), count: 0 } });
      // ...then every failure is one atomic increment, creating the window if there is none.
      try {
        await models.Throttle.updateOne({ _id: key }, { $inc: { count: 1 }, $setOnInsert: { windowStartedAt: new Date() } }, { upsert: true });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        await models.Throttle.updateOne({ _id: key }, { $inc: { count: 1 } }); // lost the insert race
      }
    },
    async clear(key: string): Promise<void> {
      await models.Throttle.deleteOne({ _id: key });
    },
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
