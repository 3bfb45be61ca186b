import { userError, userErrorsFromZod, withId, type Locale } from '@omurga/shared';
import type { ZodError } from 'zod';
import { t } from '../messages.ts';
import type { UserDoc } from '../models.ts';
import type { SessionTokens } from '../sessions.ts';

/** A payload carrying one userError (ACC codes, localised). */
export const failure = (locale: Locale, code: string, field: readonly string[] | null, params?: Record<string, string | number>) => ({
  userErrors: [userError(t, locale, code, field, params)],
});

export const invalidInput = (error: ZodError, locale: Locale, root: readonly string[] = ['input']) => ({
  userErrors: userErrorsFromZod(error, t, locale, root),
});

export const signedIn = (user: UserDoc, tokens: Omit<SessionTokens, 'refreshToken'> & { refreshToken?: string | null }) => ({
  accessToken: tokens.accessToken,
  refreshToken: tokens.refreshToken ?? null,
  expiresAt: tokens.expiresAt,
  user: withId(user),
  userErrors: [],
});

export const ok = { ok: true, userErrors: [] };

/** A refused MutationResult. */
export const refused = (locale: Locale, code: string, field: readonly string[] | null, params?: Record<string, string | number>) => ({
  ok: false,
  ...failure(locale, code, field, params),
});
