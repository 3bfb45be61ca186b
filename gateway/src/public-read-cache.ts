import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { Locale } from '@omurga/shared';

/**
 * Answers a query whose every field a subgraph declared public
 * (`@cacheControl(scope: PUBLIC)` with a max age, as billing's `plans`) from
 * memory until that age passes, with `Cache-Control: max-age=N, public` for
 * HTTP caches too. A response is cacheable only when every subgraph that
 * served it sent such a header, so anything else (a member's data) is never
 * kept. Callers with a token share the public entries among themselves, apart
 * from anonymous ones; the key holds the caller's language, which the
 * subgraphs answer in.
 */
export function publicReadCache<C extends { locale: Locale; authorization?: string }>() {
  return responseCachePlugin<C>({
    sessionId: async ({ contextValue }) => contextValue.authorization ?? null,
    extraCacheKeyData: async ({ contextValue }) => contextValue.locale,
  });
}
