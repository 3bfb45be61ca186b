import { userError, type Locale } from '@omurga/shared';
import { t } from '../messages.ts';

export const failure = (locale: Locale, code: string, field: readonly string[] | null, params?: Record<string, string | number>) => ({
  userErrors: [userError(t, locale, code, field, params)],
});
