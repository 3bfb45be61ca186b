import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Agent, fetch } from 'undici';
import { context, propagation } from '@opentelemetry/api';
import { MERGEABLE_HEADER, mergingFetcher } from './request-merging.ts';
import { CLIENT_IDLE_TIMEOUT_MS, ErrorCode, subgraphFetches, currentRequestId, translate, type Locale } from '@omurga/shared';

// Idle connections are dropped by the gateway well before the subgraph's
// server would (see keep-alive.ts), so a request never lands on a closing socket.
const subgraphAgent = new Agent({
  keepAliveTimeout: CLIENT_IDLE_TIMEOUT_MS,
  keepAliveMaxTimeout: CLIENT_IDLE_TIMEOUT_MS,
  connect: { timeout: 5_000 },
});

const keepAliveFetch = (url: string, init: object) => fetch(url, { ...init, dispatcher: subgraphAgent });

/** The connection dropped before an answer: the subgraph never saw the request, or saw a read. */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
/** The subgraph could not be reached at all. */
const UNREACHABLE_CODES = new Set([...RESET_CODES, 'ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function networkCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return e.code;
    if (Array.isArray((e as { errors?: unknown }).errors)) return networkCode((e as { errors: unknown[] }).errors[0]);
  }
  return undefined;
}

export function subgraphUnavailable(service: string, locale: Locale): GraphQLError {
  return new GraphQLError(translate('SUBGRAPH_UNAVAILABLE', locale, { service }), {
    extensions: { code: ErrorCode.SUBGRAPH_UNAVAILABLE, service },
  });
}

/**
 * A subgraph client that keeps serving what it can: a query whose connection
 * was reset is sent once more (queries are idempotent; mutations never are
 * retried), and a subgraph that cannot be reached yields SUBGRAPH_UNAVAILABLE
 * for its fields while the other subgraphs' data is still returned.
 */
export class ResilientDataSource<C extends object> extends RemoteGraphQLDataSource<C> {
  readonly serviceName: string;

  constructor(config: ConstructorParameters<typeof RemoteGraphQLDataSource<C>>[0] & { name: string }) {
    const { name, ...rest } = config;
    // Identical queries in flight at once (a hot dashboard, the public
    // catalogue) cost the subgraph one request (issue 16).
    const fetcher = mergingFetcher(keepAliveFetch, (outcome) => subgraphFetches.inc({ subgraph: name, outcome }));
    super({ fetcher: fetcher as unknown as RemoteGraphQLDataSource<C>['fetcher'], ...rest });
    this.serviceName = name;
  }

  /** The subgraph continues the caller's request id and trace. */
  override willSendRequest(options: GraphQLDataSourceProcessOptions<C>): void {
    const headers = options.request.http?.headers;
    if (!headers) return;
    const requestId = currentRequestId();
    if (requestId) headers.set('x-request-id', requestId);
    propagation.inject(context.active(), headers, { set: (carrier, key, value) => carrier.set(key, value) });
    if (isQuery(options)) headers.set(MERGEABLE_HEADER, '1');
  }

  override async process(options: GraphQLDataSourceProcessOptions<C>) {
    try {
      return await super.process(options);
    } catch (error) {
      let failure = error;
      if (RESET_CODES.has(networkCode(error) ?? '') && isQuery(options)) {
        try {
          return await super.process(options);
        } catch (retryError) {
          failure = retryError;
        }
      }
      if (networkCode(failure)) {
        const locale = (options.context as { locale?: Locale }).locale ?? 'tr';
        throw subgraphUnavailable(this.serviceName, locale);
      }
      throw failure;
    }
  }
}

function isQuery(options: GraphQLDataSourceProcessOptions<object>): boolean {
  return 'incomingRequestContext' in options && options.incomingRequestContext.operation?.operation === 'query';
}
