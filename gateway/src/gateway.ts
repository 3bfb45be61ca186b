import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { ApolloGateway, type GraphQLDataSourceProcessOptions, type RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  SUBGRAPHS,
  buildRequestContext,
  createLogger,
  createRemoteTokenVerifier,
  gatewayQueries,
  internalCallHeaders,
  loadRequestLimits,
  startGraphQLService,
  type PlatformConfig,
  type RequestContext,
  type RunningService,
  type SubgraphName,
} from '@omurga/shared';
import { SUPERGRAPH_FILE } from './compose.ts';
import { fileProxy, fileRoutes } from './file-proxy.ts';
import { cardCaptureProxy } from './card-capture-proxy.ts';
import { operationMerging } from './operation-merging.ts';
import { publicReadCache } from './public-read-cache.ts';
import { gatewayRateLimits } from './rate-limits.ts';
import { ResilientDataSource } from './resilient-data-source.ts';

interface GatewayContext extends RequestContext {
  headers: IncomingHttpHeaders;
}

/** Headers the subgraphs need to authenticate the caller and answer in their language. */
const FORWARDED_HEADERS = ['authorization', 'accept-language', 'user-agent'] as const;

class ForwardingDataSource extends ResilientDataSource<GatewayContext> {
  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    super.willSendRequest(options);
    const { request, context } = options;
    if (!('headers' in context) || !context.headers) return; // the gateway's own health probes
    for (const name of FORWARDED_HEADERS) {
      const value = context.headers[name];
      if (typeof value === 'string') request.http?.headers.set(name, value);
    }
    if (context.ip) request.http?.headers.set('x-forwarded-for', context.ip);
    for (const [name, value] of Object.entries(internalCallHeaders())) request.http?.headers.set(name, value);
  }

  /**
   * A subgraph refuses a variable its own scalars cannot coerce (a malformed
   * Duration or DateTime, which the gateway passes through unchecked) with
   * HTTP 400 and BAD_USER_INPUT: hand the caller that, not a bare "400".
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const error = await super.errorFromResponse(response);
    const body = (error.extensions.response as { body?: { errors?: GraphQLFormattedError[] } } | undefined)?.body;
    const first = typeof body === 'object' ? body?.errors?.[0] : undefined;
    if (response.status === 400 && first?.extensions?.code === 'BAD_USER_INPUT') {
      return new GraphQLError(first.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
    }
    return error;
  }
}

const isSubgraph = (name: string): name is SubgraphName => (SUBGRAPHS as readonly string[]).includes(name);

export async function startGateway(config: PlatformConfig): Promise<RunningService> {
  const logger = createLogger('gateway', config.logLevel);
  const verify = createRemoteTokenVerifier(config.auth.jwksUrl, config.auth);
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_FILE, 'utf8'),
    buildService: ({ name, url }) => new ForwardingDataSource({ name, url: isSubgraph(name) ? config.subgraphs[name].url : url }),
  });
  return startGraphQLService<GatewayContext>({
    name: 'gateway',
    host: config.host,
    port: config.gateway.port,
    logger,
    apollo: { gateway },
    // An invalid token is refused here, before any subgraph is asked; every
    // subgraph verifies the token again on its own.
    contextFailureStatus: 401,
    // The caller's address as express sees it through TRUSTED_PROXIES only
    // (a client cannot spoof X-Forwarded-For past the gateway); subgraphs
    // take the gateway's value only with the shared secret (GATEWAY_SHARED_SECRET).
    context: async (req) => ({
      ...(await buildRequestContext({ ...req.headers, 'x-forwarded-for': req.ip }, req.socket.remoteAddress, verify)),
      headers: req.headers,
    }),
    edge: 'gateway',
    guards: [gatewayRateLimits(loadRequestLimits().rates, verify)],
    plugins: [publicReadCache<GatewayContext>(), operationMerging<GatewayContext>((merged) => gatewayQueries.inc({ outcome: merged ? 'merged' : 'executed' }))],
    routes: (app) => {
      const urls = { billing: config.subgraphs.billing.url, support: config.subgraphs.support.url, consent: config.subgraphs.consent.url };
      for (const route of fileRoutes(urls)) fileProxy(app, route);
      cardCaptureProxy(app, urls.billing);
    },
    readiness: Object.fromEntries(
      SUBGRAPHS.map((name) => [
        name,
        async () => {
          const response = await fetch(new URL('/healthz', config.subgraphs[name].url));
          if (!response.ok) throw new Error(`${name} answered ${response.status}`);
        },
      ]),
    ),
  });
}
