import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, createLogger, developmentSecretProblems, startGraphQLService, type RunningService } from '../src/index.ts';

// A subgraph-shaped service on a tiny schema: the edge's refusals happen
// before GraphQL, so they are the same here as on the real stack.
const typeDefs = parse(`
  type Query { ping: String, node: Node }
  type Node { child: Node, name: String }
  type Mutation { logIn(email: String): Boolean }
`);

let service: RunningService;
beforeAll(async () => {
  service = await startGraphQLService({
    name: 'edge-test',
    host: '127.0.0.1',
    port: 0,
    logger: createLogger('edge-test', 'silent'),
    apollo: { schema: buildSubgraphSchema({ typeDefs, resolvers: { Query: { ping: () => 'pong' }, Mutation: { logIn: () => true } } }) },
    contextFailureStatus: 200,
    context: async () => ({ locale: 'en' as const, principal: ANONYMOUS, ip: undefined, userAgent: undefined }),
    readiness: {},
  });
});
afterAll(() => service.close());

async function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(service.url, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, text, code: (JSON.parse(text) as { errors?: { extensions: { code: string } }[] }).errors?.[0]?.extensions.code };
}
const query = (q: string, extra: Record<string, unknown> = {}) => post(JSON.stringify({ query: q, ...extra }));

describe('request edge (issue 13)', () => {
  it('answers a plain query', async () => {
    expect(await query('{ ping }')).toMatchObject({ status: 200 });
  });

  it.each([
    ['depth', `{ node { ${'child { '.repeat(12)}name${' }'.repeat(12)} } }`, 'QUERY_TOO_DEEP'],
    ['aliases', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: ping`).join(' ')} }`, 'TOO_MANY_ALIASES'],
    ['tokens', `{ ${'ping '.repeat(2500)} }`, 'TOO_MANY_TOKENS'],
    ['sensitive calls', 'mutation { a: logIn(email: "x") b: logIn(email: "y") }', 'OPERATION_LIMIT_EXCEEDED'],
    ['syntax', '{ ping', 'GRAPHQL_PARSE_FAILED'],
  ])('refuses %s with a code and 400', async (_name, q, code) => {
    expect(await query(q)).toMatchObject({ status: 400, code });
  });

  it('refuses operationName mistakes with 400', async () => {
    expect(await query('query A { ping } query B { ping }')).toMatchObject({ status: 400, code: 'OPERATION_NAME_REQUIRED' });
    expect(await query('query A { ping }', { operationName: 'Nope' })).toMatchObject({ status: 400, code: 'OPERATION_NOT_FOUND' });
  });

  it('answers body and media-type failures as coded JSON, never HTML', async () => {
    expect(await post('{"query": ')).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(await post('{}', { 'content-type': 'application/json; charset=latin1' })).toMatchObject({ status: 415, code: 'UNSUPPORTED_CHARSET' });
    expect(await post('query=x', { 'content-type': 'text/plain' })).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    const big = await query(`{ ping }`, { variables: { pad: 'x'.repeat(15 * 1024 * 1024) } });
    expect(big).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    const notFound = await fetch(service.url.replace('/graphql', '/nope'));
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    const put = await fetch(service.url, { method: 'PUT' });
    expect(put.status).toBe(405);
  });
});

describe('production secrets (issue 13)', () => {
  it('lists every development secret a production process would run with', () => {
    const problems = developmentSecretProblems('accounts', { NODE_ENV: 'production', BOOTSTRAP_OPERATOR_PASSWORD: 'Omurga-Local-Operator-1' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['GATEWAY_SHARED_SECRET', 'TEMPORAL_PAYLOAD_KEYS', 'ACCOUNTS_SIGNING_JWKS', 'BOOTSTRAP_OPERATOR_PASSWORD']);
    expect(developmentSecretProblems('accounts', {})).toEqual([]);
    expect(developmentSecretProblems('consent', { NODE_ENV: 'production', GATEWAY_SHARED_SECRET: 'x'.repeat(40), TEMPORAL_PAYLOAD_KEYS: 'k1:abc', CONSENT_UNSUBSCRIBE_SECRET: 'y'.repeat(40) })).toEqual([]);
  });
});

describe('a production subgraph answers the gateway only (issue 13)', () => {
  const secret = 'a-production-gateway-secret-of-enough-length';
  let closed: RunningService;
  beforeAll(async () => {
    const saved = { NODE_ENV: process.env.NODE_ENV, GATEWAY_SHARED_SECRET: process.env.GATEWAY_SHARED_SECRET };
    Object.assign(process.env, { NODE_ENV: 'production', GATEWAY_SHARED_SECRET: secret });
    try {
      closed = await startGraphQLService({
        name: 'edge-production-test',
        host: '127.0.0.1',
        port: 0,
        logger: createLogger('edge-production-test', 'silent'),
        apollo: { schema: buildSubgraphSchema({ typeDefs, resolvers: { Query: { ping: () => 'pong' } } }) },
        contextFailureStatus: 200,
        context: async (req) => ({ locale: 'en' as const, principal: ANONYMOUS, ip: req.headers['x-forwarded-for'] as string | undefined, userAgent: undefined }),
        readiness: {},
      });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
  afterAll(() => closed.close());
  const ask = (query: string, headers: Record<string, string> = {}) =>
    fetch(closed.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

  it('refuses _service and everything else without the shared secret', async () => {
    const response = await ask('{ _service { sdl } }');
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect((await ask('{ ping }', { 'x-omurga-gateway-secret': 'wrong' })).status).toBe(403);
  });

  it('answers the gateway, with introspection closed', async () => {
    const fromGateway = { 'x-omurga-gateway-secret': secret };
    expect(await (await ask('{ ping }', fromGateway)).json()).toEqual({ data: { ping: 'pong' } });
    expect((await (await ask('{ _service { sdl } }', fromGateway)).json()) as object).toMatchObject({ data: { _service: { sdl: expect.any(String) } } });
    const introspection = await ask('{ __schema { types { name } } }', fromGateway);
    expect(introspection.status).toBe(400);
  });
});
