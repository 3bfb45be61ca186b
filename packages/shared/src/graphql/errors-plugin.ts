import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { CLIENT_FACING_CODES, ErrorCode } from '../errors.ts';
import type { Locale } from '../locale.ts';
import type { Logger } from '../logger.ts';
import { translate } from '../messages.ts';

/**
 * The error convention of the contract: client-facing codes pass through with
 * their message, anything else is logged and replaced by INTERNAL_SERVER_ERROR
 * in the caller's language. No stack traces or internals ever leave.
 */
export function formatErrorFor(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const base = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
    if (typeof code === 'string' && CLIENT_FACING_CODES.has(code)) {
      // `service` names the unreachable subgraph of a SUBGRAPH_UNAVAILABLE error.
      const service = formatted.extensions?.service;
      return { message: formatted.message, ...base, extensions: { code, ...(typeof service === 'string' ? { service } : {}) } };
    }
    logger.error({ err: unwrapResolverError(error), code }, 'unexpected GraphQL error');
    return { message: translate('INTERNAL_SERVER_ERROR', 'en'), ...base, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}

/** Puts INTERNAL_SERVER_ERROR messages into the caller's language once the context is known. */
export function localizeInternalErrors<C extends { locale: Locale }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const locale = contextValue?.locale ?? 'tr';
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) =>
            e.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR ? { ...e, message: translate('INTERNAL_SERVER_ERROR', locale) } : e,
          );
        },
      };
    },
  };
}
