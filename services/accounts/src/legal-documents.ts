import { internalCallHeaders, type Locale } from '@omurga/shared';

export interface CurrentDocument {
  id: string;
  kind: string;
}

/** The legal document versions in force that a new person must accept. */
export interface LegalDocumentSource {
  /** `fresh`: skip any cache (a client may already show a version newer than the cached answer) */
  current(locale: Locale, fresh?: boolean): Promise<CurrentDocument[]>;
}

/** Kinds a person accepts at sign-up or when joining an organisation. */
export const REQUIRED_AT_SIGN_UP = ['USER_AGREEMENT', 'INFORMATION_NOTICE'] as const;

const QUERY = 'query($locale: String!) { currentLegalDocuments(locale: $locale) { id kind } }';
const CACHE_MS = 60_000;

/**
 * Asks the consent subgraph (which owns the documents) for the versions in
 * force, through its public `currentLegalDocuments` query: the same answer a
 * client gets, so the ids a client shows are the ids accepted here. Cached
 * briefly; swap the implementation here and nowhere else.
 */
export function consentSubgraphDocuments(consentUrl: string): LegalDocumentSource {
  const cache = new Map<Locale, { at: number; documents: CurrentDocument[] }>();
  return {
    async current(locale, fresh = false) {
      const hit = cache.get(locale);
      if (!fresh && hit && Date.now() - hit.at < CACHE_MS) return hit.documents;
      const response = await fetch(consentUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...internalCallHeaders() },
        body: JSON.stringify({ query: QUERY, variables: { locale } }),
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await response.json()) as { data?: { currentLegalDocuments?: CurrentDocument[] } };
      const documents = body.data?.currentLegalDocuments;
      if (!response.ok || !documents) throw new Error(`consent answered ${response.status}`);
      cache.set(locale, { at: Date.now(), documents });
      return documents;
    },
  };
}

/**
 * Which required kinds the accepted ids do not cover, for either locale (a
 * person may read the English text while the account is Turkish).
 */
export async function missingAcceptances(source: LegalDocumentSource, acceptedIds: readonly string[]): Promise<{ missing: string[]; accepted: CurrentDocument[] }> {
  const check = async (fresh: boolean) => {
    const current = (await Promise.all([source.current('tr', fresh), source.current('en', fresh)])).flat();
    const accepted = current.filter((doc) => acceptedIds.includes(doc.id));
    const missing = REQUIRED_AT_SIGN_UP.filter((kind) => !accepted.some((doc) => doc.kind === kind));
    return { missing, accepted };
  };
  const cached = await check(false);
  // A version that became binding since the cached answer: ask again before refusing.
  return cached.missing.length > 0 ? check(true) : cached;
}
