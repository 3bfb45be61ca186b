import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import type { Locale } from '../locale.ts';
import type { Logger } from '../logger.ts';
import { serviceEdge, type EdgeRole } from '../edge/index.ts';
import { formatErrorFor, localizeInternalErrors } from './errors-plugin.ts';
import { keepConnectionsAlive } from './keep-alive.ts';
import { graphqlMetricsPlugin, observeHttp } from '../observability/index.ts';

export type ReadinessChecks = Record<string, () => Promise<unknown>>;

export interface GraphQLServiceOptions<C extends BaseContext & { locale: Locale }> {
  name: string;
  host: string;
  port: number;
  logger: Logger;
  /** either a subgraph schema or a gateway */
  apollo: Pick<ApolloServerOptions<C>, 'schema' | 'gateway'>;
  context: (req: Request) => Promise<C>;
  /** HTTP status for a request whose context could not be built (an invalid token) */
  contextFailureStatus: number;
  readiness: ReadinessChecks;
  routes?: (app: Express) => void;
  /** gateway (public: CORS, trusted proxies) or subgraph (answers the gateway); default subgraph */
  edge?: EdgeRole;
  /** more /graphql checks after the edge's bounds (the gateway's rate limits) */
  guards?: RequestHandler[];
  /** more Apollo Server plugins (the gateway's response cache) */
  plugins?: ApolloServerPlugin<C>[];
}

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

const READINESS_TIMEOUT_MS = 2_000;

async function checkReadiness(checks: ReadinessChecks) {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), READINESS_TIMEOUT_MS).unref()),
        ]);
        return [name, 'ok'] as const;
      } catch {
        return [name, 'unavailable'] as const;
      }
    }),
  );
  return { ready: results.every(([, state]) => state === 'ok'), checks: Object.fromEntries(results) };
}

/** One HTTP server: POST /graphql, GET /healthz (liveness), GET /readyz (dependencies), plus extra routes. */
export async function startGraphQLService<C extends BaseContext & { locale: Locale }>(
  options: GraphQLServiceOptions<C>,
): Promise<RunningService> {
  const app = express();
  app.disable('x-powered-by');
  // First, so that every answer (the edge's refusals too) has a request id, a log line and a metric.
  observeHttp(app, { service: options.name, logger: options.logger });
  const edge = serviceEdge(options.edge ?? 'subgraph', options.logger);
  edge.prepare(app);
  const httpServer = http.createServer(app);
  keepConnectionsAlive(httpServer);

  const apollo = new ApolloServer<C>({
    ...options.apollo,
    ...edge.apolloOptions,
    includeStacktraceInErrorResponses: false,
    formatError: formatErrorFor(options.logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(), // traces are for Apollo Studio, which this platform does not use
      localizeInternalErrors<C>(),
      graphqlMetricsPlugin<C>(options.name),
      ...(options.plugins ?? []),
    ],
  } as ApolloServerOptions<C>);
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/readyz', async (_req, res) => {
    const result = await checkReadiness(options.readiness);
    res.status(result.ready ? 200 : 503).json({ status: result.ready ? 'ready' : 'not-ready', service: options.name, checks: result.checks });
  });
  options.routes?.(app);
  app.use(
    '/graphql',
    ...edge.graphqlGuards,
    ...(options.guards ?? []),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return await options.context(req);
        } catch (error) {
          if (error instanceof GraphQLError) {
            throw new GraphQLError(error.message, {
              extensions: { ...error.extensions, http: { status: options.contextFailureStatus } },
            });
          }
          throw error;
        }
      },
    }),
  );
  edge.finish(app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const url = `http://${options.host}:${address.port}/graphql`;
  options.logger.info({ url }, `${options.name} listening`);
  return { url, close: () => apollo.stop() };
}
