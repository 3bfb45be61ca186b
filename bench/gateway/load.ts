// One measurement: autocannon (bench/tools) at a fixed number of connections
// against one GraphQL endpoint, each request carrying one of `tokens` in turn.
import { createRequire } from 'node:module';
import path from 'node:path';

const tools = createRequire(path.resolve(import.meta.dirname, '../tools/package.json'));
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
interface AutocannonResult {
  latency: { p99: number };
  '2xx': number;
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
}
let autocannon: Autocannon | undefined;
function loader(): Autocannon {
  try {
    return (autocannon ??= tools('autocannon') as Autocannon);
  } catch {
    throw new Error('the benchmark tools are missing: run `./platform bench`, or `pnpm install --ignore-workspace` in bench/tools');
  }
}

export interface Load {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  /** one per request in turn; none for an anonymous caller */
  tokens?: string[];
}

export interface Figures {
  /** answers with data and no errors, per second */
  rps: number;
  p99Ms: number;
  failed: number;
}

export async function measure(load: Load, connections: number, seconds: number): Promise<Figures> {
  const body = JSON.stringify({ query: load.query, variables: load.variables ?? {} });
  const headers = { 'content-type': 'application/json', 'accept-language': 'tr' };
  const tokens = load.tokens ?? [];
  let next = 0;
  const result = await loader()({
    url: load.url,
    connections,
    duration: seconds,
    method: 'POST',
    headers,
    body,
    // An answer with GraphQL errors (an expired token, a subgraph down) is a failure, not a request served.
    verifyBody: (text: string) => !text.includes('"errors"'),
    requests: [
      {
        setupRequest: (request: { headers: Record<string, string> }) =>
          tokens.length ? { ...request, headers: { ...request.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } } : request,
      },
    ],
  });
  const served = result['2xx'] - result.mismatches;
  return { rps: served / result.duration, p99Ms: result.latency.p99, failed: result.non2xx + result.errors + result.timeouts + result.mismatches };
}

/** One request as the load sends it: its data, or why it failed (every target must answer the same). */
export async function sample(load: Load): Promise<string> {
  const response = await fetch(load.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': 'tr',
      ...(load.tokens?.length ? { authorization: `Bearer ${load.tokens[0]}` } : {}),
    },
    body: JSON.stringify({ query: load.query, variables: load.variables ?? {} }),
  });
  const answer = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (!response.ok || answer.errors?.length) throw new Error(`${load.url} answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`);
  return JSON.stringify(answer.data);
}
