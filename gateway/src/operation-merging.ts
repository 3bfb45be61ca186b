import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';

/** What the gateway knows of the caller: everything a subgraph's answer may depend on. */
export interface MergeableContext {
  authorization?: string;
  locale: string;
  ip?: string;
  userAgent?: string;
}

interface Shared {
  /** the leader's data, when it succeeded without errors; otherwise each waiter runs the operation itself */
  data?: string;
  cachePolicy: ReturnType<GraphQLRequestContext<object>['overallCachePolicy']['policyIfCacheable']>;
}

/**
 * Identical queries of one caller in flight at the same time (a dashboard
 * open in several tabs, a client retrying, a hot page behind one token) are
 * planned and executed once: the others wait and receive a copy of the
 * answer. An answer with errors is not shared (its waiters run the operation
 * themselves, so every error is formatted and logged as usual). The key is the operation, its variables and every
 * caller detail the subgraphs are told (token, language, address, user
 * agent), so callers never share answers; mutations are never merged, and an
 * answer is not kept once sent (the public read cache keeps what may be kept).
 */
export function operationMerging<C extends MergeableContext>(observe: (merged: boolean) => void = () => {}): ApolloServerPlugin<C> {
  const inFlight = new Map<string, Promise<Shared>>();

  const keyOf = (ctx: GraphQLRequestContext<C>) => {
    const { authorization, locale, ip, userAgent } = ctx.contextValue;
    return JSON.stringify([ctx.source, ctx.operationName ?? null, ctx.request.variables ?? {}, authorization ?? null, locale, ip ?? null, userAgent ?? null]);
  };

  return {
    async requestDidStart() {
      let lead: ((shared: Shared) => void) | undefined;
      return {
        async responseForOperation(ctx) {
          if (ctx.operation?.operation !== 'query') return null;
          const key = keyOf(ctx);
          const running = inFlight.get(key);
          if (running) {
            const shared = await running;
            if (shared.data !== undefined) {
              observe(true);
              if (shared.cachePolicy) ctx.overallCachePolicy.replace(shared.cachePolicy);
              return { body: { kind: 'single', singleResult: { data: JSON.parse(shared.data) as Record<string, unknown> } }, http: { status: undefined, headers: new HeaderMap() } };
            }
            observe(false);
            return null;
          }
          observe(false);
          inFlight.set(
            key,
            new Promise<Shared>((resolve) => {
              lead = (shared) => {
                inFlight.delete(key);
                resolve(shared);
              };
            }),
          );
          return null;
        },
        async willSendResponse(ctx) {
          if (!lead) return;
          const result = ctx.response.body.kind === 'single' ? ctx.response.body.singleResult : undefined;
          const succeeded = result && !result.errors?.length && result.data;
          lead({ ...(succeeded ? { data: JSON.stringify(result.data) } : {}), cachePolicy: ctx.overallCachePolicy.policyIfCacheable() });
          lead = undefined;
        },
      };
    },
  };
}
