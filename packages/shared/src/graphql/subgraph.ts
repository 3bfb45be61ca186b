import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { Express } from 'express';
import { parse } from 'graphql';
import type { Connection } from 'mongoose';
import { buildRequestContext, type RequestContext } from '../auth/context.ts';
import { createRemoteTokenVerifier, type TokenVerifier } from '../auth/verifier.ts';
import type { PlatformConfig, SubgraphName } from '../config.ts';
import { connectDatabase, pingDatabase } from '../db.ts';
import { createLogger, type Logger } from '../logger.ts';
import { refuseDevelopmentSecrets } from '../edge/production.ts';
import { exitOnSignals } from '../shutdown.ts';
import { startTracing } from '../observability/tracing.ts';
import { startGraphQLService, type ReadinessChecks, type RunningService } from './http-service.ts';

export type SubgraphContext<L> = RequestContext & { loaders: L };
export type Resolvers = GraphQLResolverMap<any>;

/** One resolver map from per-capability maps; each capability owns its own fields of a type. */
export function mergeResolvers(...parts: object[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of parts as Record<string, Record<string, unknown>>[]) {
    for (const [type, fields] of Object.entries(part)) merged[type] = { ...merged[type], ...fields };
  }
  return merged as Resolvers;
}

/** Reads a subgraph's SDL file (kept next to its code as schema.graphql). */
export function loadTypeDefs(schemaFile: URL) {
  return parse(readFileSync(schemaFile, 'utf8'));
}

export interface SubgraphDefinition<L> {
  name: SubgraphName;
  schemaFile: URL;
  /** built once the database is open */
  setup(deps: { db: Connection; config: PlatformConfig; logger: Logger }): Promise<{
    resolvers: Resolvers;
    /** per-request DataLoaders, so entity references and per-organisation fields batch */
    loaders(ctx: RequestContext): L;
    verifier?: TokenVerifier;
    readiness?: ReadinessChecks;
    routes?: (app: Express) => void;
    close?: () => Promise<void>;
  }>;
}

export interface RunningSubgraph extends RunningService {
  db: Connection;
}

export async function startSubgraph<L>(
  definition: SubgraphDefinition<L>,
  config: PlatformConfig,
  logger: Logger = createLogger(definition.name, config.logLevel),
): Promise<RunningSubgraph> {
  const db = await connectDatabase(config, definition.name);
  const parts = await definition.setup({ db, config, logger });
  const verify = parts.verifier ?? createRemoteTokenVerifier(config.auth.jwksUrl, config.auth);
  const schema = buildSubgraphSchema({ typeDefs: loadTypeDefs(definition.schemaFile), resolvers: parts.resolvers });
  const service = await startGraphQLService<SubgraphContext<L>>({
    name: definition.name,
    host: config.host,
    port: config.subgraphs[definition.name].port,
    logger,
    apollo: { schema },
    contextFailureStatus: 200, // the gateway relays the error's code to the client
    context: async (req) => {
      const ctx = await buildRequestContext(req.headers, req.socket.remoteAddress, verify);
      return { ...ctx, loaders: parts.loaders(ctx) };
    },
    readiness: { database: () => pingDatabase(db), ...parts.readiness },
    ...(parts.routes ? { routes: parts.routes } : {}),
  });
  return {
    ...service,
    db,
    async close() {
      await service.close();
      await parts.close?.();
      await db.close();
    },
  };
}

/** Entry point for a subgraph process: start, and stop cleanly on SIGINT/SIGTERM. */
export async function runSubgraph<L>(definition: SubgraphDefinition<L>, config: PlatformConfig): Promise<void> {
  refuseDevelopmentSecrets(definition.name);
  startTracing(definition.name);
  const logger = createLogger(definition.name, config.logLevel);
  try {
    const running = await startSubgraph(definition, config, logger);
    exitOnSignals(logger, () => running.close());
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}
