import { GraphQLError } from 'graphql';
import type { ZodError } from 'zod';
import type { Locale } from './locale.ts';
import { translate, type Translator } from './messages.ts';

/** Top-level GraphQL error codes (extensions.code) that clients may rely on. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** the gateway could not reach a subgraph: the fields it serves are null, the rest of the answer stands */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
} as const;

/** Codes whose errors are safe to show to clients as they are. */
export const CLIENT_FACING_CODES: ReadonlySet<string> = new Set([
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.SUBGRAPH_UNAVAILABLE,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export function unauthenticated(locale: Locale, messageCode: 'UNAUTHENTICATED' | 'INVALID_TOKEN' = 'UNAUTHENTICATED') {
  return new GraphQLError(translate(messageCode, locale), { extensions: { code: ErrorCode.UNAUTHENTICATED } });
}

export function forbidden(locale: Locale) {
  return new GraphQLError(translate('FORBIDDEN', locale), { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function badUserInput(locale: Locale, detail: string) {
  return new GraphQLError(translate('BAD_USER_INPUT', locale, { detail }), {
    extensions: { code: ErrorCode.BAD_USER_INPUT },
  });
}

/** A user-fixable problem, returned in a mutation payload's `userErrors`. */
export interface UserError {
  code: string;
  field: string[] | null;
  message: string;
}

export function userError(
  t: Translator,
  locale: Locale,
  code: string,
  field: readonly string[] | null,
  params?: Record<string, string | number>,
): UserError {
  return { code, field: field ? [...field] : null, message: t(code, locale, params) };
}

/**
 * Turns zod validation issues into userErrors. A zod issue's `message` is used
 * as the stable code when it is an UPPER_SNAKE code (set in the schema with
 * `{ message: 'INVALID_TAX_ID' }`); otherwise the issue kind picks a generic one.
 */
export function userErrorsFromZod(error: ZodError, t: Translator, locale: Locale, root: readonly string[]): UserError[] {
  return error.issues.map((issue) => {
    const field = [...root, ...issue.path.map(String)];
    if (/^[A-Z][A-Z0-9_]+$/.test(issue.message)) return userError(t, locale, issue.message, field);
    switch (issue.code) {
      case 'too_big':
        return userError(t, locale, 'TOO_LONG', field, { max: Number(issue.maximum) });
      case 'too_small':
        return issue.minimum === 1 && issue.origin === 'string'
          ? userError(t, locale, 'REQUIRED', field)
          : userError(t, locale, 'TOO_SHORT', field, { min: Number(issue.minimum) });
      case 'invalid_type':
        return userError(t, locale, issue.input === undefined || issue.input === null ? 'REQUIRED' : 'INVALID_VALUE', field);
      default:
        return userError(t, locale, 'INVALID_VALUE', field);
    }
  });
}
