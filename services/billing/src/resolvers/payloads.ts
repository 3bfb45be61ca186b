import { userError, userErrorsFromZod, type Locale } from '@omurga/shared';
import type { ZodError } from 'zod';
import { t } from '../messages.ts';

export const failure = (locale: Locale, code: string, field: readonly string[] | null, params?: Record<string, string | number>) => ({
  userErrors: [userError(t, locale, code, field, params)],
});

export const invalidInput = (error: ZodError, locale: Locale, root: readonly string[] = ['input']) => ({
  userErrors: userErrorsFromZod(error, t, locale, root),
});
