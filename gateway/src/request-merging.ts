import { Response } from 'undici';

/**
 * The header a data source sets on a subgraph request that may share an
 * in-flight twin (a query, never a mutation); the fetcher removes it before
 * the request leaves the gateway.
 */
export const MERGEABLE_HEADER = 'x-omurga-mergeable';

/**
 * Headers that differ on every request without changing what the subgraph
 * answers (tracing and request ids): left out of the merge key. Everything
 * else the subgraph sees, the caller's token, language and address included,
 * is part of the key, so one caller never receives an answer made for another.
 */
const PER_REQUEST_HEADERS = new Set(['x-request-id', 'traceparent', 'tracestate', 'baggage']);

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

interface SubgraphInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

type Fetch = (url: string, init: SubgraphInit) => Promise<{ status: number; statusText: string; headers: Iterable<[string, string]>; text(): Promise<string> }>;

/** Told of every request: sent to the subgraph, or answered by a twin already in flight. */
export type FetchOutcome = (outcome: 'sent' | 'merged') => void;

function mergeKey(url: string, init: SubgraphInit): string {
  const headers = Object.entries(init.headers ?? {})
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => !PER_REQUEST_HEADERS.has(name) && name !== MERGEABLE_HEADER)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([url, init.method ?? 'POST', headers, init.body ?? '']);
}

function withoutMarker(init: SubgraphInit): SubgraphInit {
  if (!init.headers) return init;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers)) if (name.toLowerCase() !== MERGEABLE_HEADER) headers[name] = value;
  return { ...init, headers };
}

/**
 * A subgraph fetcher that sends one request for identical concurrent ones
 * (same subgraph, operation, variables and caller headers) and hands every
 * waiter its own copy of the answer, or the same failure. Only requests
 * marked mergeable share; an answer is never kept once it has arrived.
 */
export function mergingFetcher(fetch: Fetch, observe: FetchOutcome = () => {}) {
  const inFlight = new Map<string, Promise<Answer>>();

  async function send(url: string, init: SubgraphInit): Promise<Answer> {
    observe('sent');
    const response = await fetch(url, init);
    return { status: response.status, statusText: response.statusText, headers: [...response.headers], body: await response.text() };
  }

  const fetcher = async (url: string, init: SubgraphInit) => {
    const mergeable = Object.keys(init.headers ?? {}).some((name) => name.toLowerCase() === MERGEABLE_HEADER);
    const outgoing = withoutMarker(init);
    if (!mergeable) {
      observe('sent');
      return fetch(url, outgoing);
    }
    const key = mergeKey(url, init);
    let answer = inFlight.get(key);
    if (answer) {
      observe('merged');
    } else {
      answer = send(url, outgoing);
      inFlight.set(key, answer);
      const forget = () => inFlight.delete(key);
      answer.then(forget, forget);
    }
    const { status, statusText, headers, body } = await answer;
    return new Response(NULL_BODY_STATUSES.has(status) ? null : body, { status, statusText, headers });
  };
  return fetcher;
}
