import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { Counter, Histogram, collectDefaultMetrics, register } from 'prom-client';
import { requestScope } from './request-scope.ts';

// One registry per process (prom-client's default), shared by everything the process serves.
collectDefaultMetrics({ prefix: 'omurga_' });

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequestDuration = new Histogram({
  name: 'omurga_http_request_duration_seconds',
  help: 'HTTP requests by service, method, route and status',
  labelNames: ['service', 'method', 'route', 'status'],
  buckets: LATENCY_BUCKETS,
});

export const graphqlOperationDuration = new Histogram({
  name: 'omurga_graphql_operation_duration_seconds',
  help: 'GraphQL operations by service, operation name, type and outcome (ok or error)',
  labelNames: ['service', 'operation', 'type', 'outcome'],
  buckets: LATENCY_BUCKETS,
});

export const graphqlErrors = new Counter({
  name: 'omurga_graphql_errors_total',
  help: 'GraphQL errors by service, operation name and error code',
  labelNames: ['service', 'operation', 'code'],
});

export const subgraphFetches = new Counter({
  name: 'omurga_gateway_subgraph_fetches_total',
  help: 'Subgraph fetches the gateway planned, by subgraph and outcome (sent, or merged into an identical request in flight)',
  labelNames: ['subgraph', 'outcome'],
});

export const gatewayQueries = new Counter({
  name: 'omurga_gateway_queries_total',
  help: 'Queries the gateway received, by outcome (executed, or merged into an identical query of the same caller in flight)',
  labelNames: ['outcome'],
});

export const databaseCommands = new Counter({
  name: 'omurga_database_commands_total',
  help: 'Database commands the service sent, by command name and collection (only with OMURGA_COUNT_DB_COMMANDS=1: the benchmark)',
  labelNames: ['service', 'command', 'collection'],
});

export const lifecycleEmailsDelivered = new Counter({
  name: 'omurga_lifecycle_emails_delivered_total',
  help: 'Billing lifecycle e-mails accepted by SMTP and recorded, by kind (one per recipient)',
  labelNames: ['kind'],
});

export const subscriptionRunsOpened = new Counter({
  name: 'omurga_subscription_runs_opened_total',
  help: 'Subscription workflow runs opened by accounts (openSubscriptionRun): one per subscription start and per renewal',
});

/** Operation names come from callers: beyond this many distinct ones, new names count as "(other)". */
const MAX_OPERATION_NAMES = 500;
const knownOperations = new Set<string>();

function operationLabel(name: string | null | undefined): string {
  if (!name) return '(anonymous)';
  const label = name.slice(0, 100);
  if (knownOperations.has(label)) return label;
  if (knownOperations.size >= MAX_OPERATION_NAMES) return '(other)';
  knownOperations.add(label);
  return label;
}

/** Counts and times every GraphQL operation, and names it for the access log. */
export function graphqlMetricsPlugin<C extends object>(service: string): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = performance.now();
      let operation = '(unparsed)';
      let type = 'unknown';
      return {
        async didResolveOperation(ctx) {
          operation = operationLabel(ctx.operationName ?? ctx.operation?.name?.value);
          type = ctx.operation?.operation ?? type;
          const scope = requestScope.getStore();
          if (scope) scope.operationName = operation;
        },
        async willSendResponse(ctx) {
          const errors = ctx.response.body.kind === 'single' ? (ctx.response.body.singleResult.errors ?? []) : [];
          for (const error of errors) graphqlErrors.inc({ service, operation, code: String(error.extensions?.code ?? 'UNKNOWN') });
          graphqlOperationDuration.observe(
            { service, operation, type, outcome: errors.length ? 'error' : 'ok' },
            (performance.now() - started) / 1000,
          );
        },
      };
    },
  };
}

/** Prometheus text format of everything the process measured, plus `extra` (another exporter's text). */
export async function metricsText(extra?: () => Promise<string>): Promise<string> {
  const own = await register.metrics();
  const more = extra ? await extra().catch(() => '') : '';
  return more ? `${own}\n${more}` : own;
}

export const METRICS_CONTENT_TYPE = register.contentType;

export function metricsRoute(extra?: () => Promise<string>): RequestHandler {
  return async (_req, res) => {
    res.type(METRICS_CONTENT_TYPE).send(await metricsText(extra));
  };
}
