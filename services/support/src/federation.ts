import { internalCallHeaders } from '@omurga/shared';
/**
 * What support reads from the other subgraphs, always with the caller's own
 * token, so the answer is exactly what the caller may see (and an
 * organisation the caller cannot read answers nothing).
 */
export interface FederationReader {
  /** billing: the organisation's subscriptions (plan code, when it was ordered) */
  subscriptions(organizationId: string): Promise<OrganizationSubscription[]>;
  /** accounts: the signed-in person's e-mail address */
  myEmail(): Promise<string | null>;
  /** accounts: the organisations the calling partner referred */
  partnerCustomerIds(): Promise<string[]>;
}

export interface OrganizationSubscription {
  id: string;
  status: string;
  planCode: string;
  /** the first event of its history: when it was ordered */
  orderedAt: Date | null;
}

const TIMEOUT_MS = 5_000;

async function ask<T>(authorization: string | undefined, url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...internalCallHeaders(), ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (!response.ok || !body.data) throw new Error(`subgraph answered ${response.status}: ${body.errors?.[0]?.message ?? 'no data'}`);
  return body.data;
}

const SUBSCRIPTIONS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { subscriptions { id status plan { code } history { at } } } } }`;
const ME = '{ me { email } }';
const PARTNER_CUSTOMERS = 'query($after: String) { partnerCustomers(first: 100, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }';

/** A reader for one caller: `authorization` is the caller's verified header (RequestContext.authorization). */
export type FederationReaderFor = (authorization: string | undefined) => FederationReader;

export function subgraphReader(urls: { billing: string; accounts: string }): FederationReaderFor {
  return (authorization) => ({
    async subscriptions(organizationId) {
      type Row = { id: string; status: string; plan: { code: string } | null; history: { at: string }[] };
      const data = await ask<{ _entities: ({ subscriptions?: Row[] } | null)[] }>(authorization, urls.billing, SUBSCRIPTIONS, {
        r: [{ __typename: 'Organization', id: organizationId }],
      });
      return (data._entities[0]?.subscriptions ?? []).map((s) => ({
        id: s.id,
        status: s.status,
        planCode: s.plan?.code ?? '',
        orderedAt: s.history.length ? new Date(Math.min(...s.history.map((h) => Date.parse(h.at)))) : null,
      }));
    },
    async myEmail() {
      const data = await ask<{ me: { email: string } | null }>(authorization, urls.accounts, ME, {});
      return data.me?.email ?? null;
    },
    async partnerCustomerIds() {
      const ids: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 50; page++) {
        type Page = { partnerCustomers: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
        const data: Page = await ask<Page>(authorization, urls.accounts, PARTNER_CUSTOMERS, { after });
        ids.push(...data.partnerCustomers.edges.map((e) => e.node.id));
        if (!data.partnerCustomers.pageInfo.hasNextPage) break;
        after = data.partnerCustomers.pageInfo.endCursor;
      }
      return ids;
    },
  });
}
