import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { Express, RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { browserCors } from './cors.ts';
import { jsonErrorHandler, jsonNotFound } from './json-errors.ts';
import { loadRequestLimits, plannedQueryLimits } from './limits.ts';
import { isProduction } from './production.ts';
import { graphqlRequestGuard } from './request-guard.ts';
import { subgraphCallerCheck, trustedProxies } from './trust.ts';

export * from './json-errors.ts';
export * from './limits.ts';
export * from './production.ts';
export * from './request-guard.ts';
export * from './trust.ts';
export { corsOrigins } from './cors.ts';

export type EdgeRole = 'gateway' | 'subgraph';

/**
 * The edge of one HTTP service: trusted proxies, CORS (gateway), request
 * bounds and caller checks on /graphql, the production profile for Apollo,
 * and JSON errors for everything else. Plugged into startGraphQLService.
 */
export function serviceEdge(role: EdgeRole, logger: Logger, env: NodeJS.ProcessEnv = process.env) {
  const limits = loadRequestLimits(env);
  const documentLimits = role === 'gateway' ? limits.document : plannedQueryLimits(limits.document);
  return {
    limits,
    /** before every route */
    prepare(app: Express) {
      app.set('trust proxy', role === 'gateway' ? trustedProxies(env) : false);
      if (role === 'gateway') app.use(browserCors(env));
    },
    /** /graphql's own middleware, before Apollo */
    graphqlGuards: [...(role === 'subgraph' ? [subgraphCallerCheck(env)] : []), ...graphqlRequestGuard(documentLimits, limits.bodyLimitBytes)] as RequestHandler[],
    /** production: no introspection, no "did you mean" hints */
    apolloOptions: {
      introspection: !isProduction(env),
      hideSchemaDetailsFromClientErrors: isProduction(env),
    } satisfies Partial<ApolloServerOptions<BaseContext>>,
    /** after every route */
    finish(app: Express) {
      app.use(jsonNotFound, jsonErrorHandler(logger));
    },
  };
}
export * from './form-body.ts';
