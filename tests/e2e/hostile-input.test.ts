// Issue 13 (edge): hostile input through the gateway on the real stack.
// Every case must be answered by a coded JSON error or a coded userError,
// never an HTTP 5xx, a stack trace or a file path, and within its time limit.
import { Lexer, Source, TokenKind } from 'graphql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase, loadConfig } from '@omurga/shared';
import { accountsModels } from '../../services/accounts/src/models.ts';
import { LOG_IN, clientIp, signUpAndVerify, uniqueEmail } from '../support/accounts.ts';
import { graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;

/** generous: a refused request answers in milliseconds, an oversize upload in well under this */
const REQUEST_TIMEOUT_MS = 20_000;
const LEAK = /\bat [\w$.<>]+ \(|node:internal|node_modules|\/work\/|\/root\/|\/home\/|\/tmp\/|\.ts:\d+|<!DOCTYPE|<html/i;

interface Case {
  name: string;
  /** raw body, or an object sent as JSON */
  body: string | Buffer | Record<string, unknown>;
  headers?: Record<string, string>;
  method?: string;
  /** the top-level error codes any of which is a right answer; omitted: only "no 5xx, no leak, JSON" */
  codes?: string[];
  /** the error comes from a resolver (HTTP 200 with a coded error), not from refusing the request (HTTP 4xx) */
  resolverError?: boolean;
  /** for cases answered inside a payload: the userErrors codes any of which is right */
  userErrorCodes?: string[];
  token?: string;
}

interface Answer {
  status: number;
  text: string;
  json: { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function send(c: Case): Promise<Answer> {
  const body = typeof c.body === 'string' || Buffer.isBuffer(c.body) ? c.body : JSON.stringify(c.body);
  const response = await fetch(gw, {
    method: c.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': clientIp(),
      ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
      ...c.headers,
    },
    ...(c.method === 'GET' || c.method === 'HEAD' ? {} : { body }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let json: Answer['json'] = {};
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    throw new Error(`not JSON (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, text, json };
}

function check(c: Case, answer: Answer) {
  expect(answer.status, answer.text.slice(0, 300)).toBeLessThan(500);
  expect(answer.text).not.toMatch(LEAK);
  const codes = (answer.json.errors ?? []).map((e) => e.extensions?.code);
  expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
  for (const code of codes) expect(code, 'every error carries a code').toEqual(expect.any(String));
  if (c.codes) {
    if (!c.resolverError) expect(answer.status, answer.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(c.codes).toContain(codes[0]);
  }
  if (c.userErrorCodes) {
    const payload = Object.values(answer.json.data ?? {})[0] as { userErrors?: { code: string }[] } | undefined;
    expect(c.userErrorCodes, answer.text.slice(0, 300)).toContain(payload?.userErrors?.[0]?.code);
  }
}

const run = (c: Case) => send(c).then((answer) => check(c, answer));
const q = (query: string, extra: Record<string, unknown> = {}) => ({ query, ...extra });
const aliases = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');
const nest = (depth: number, field = 'node') => `${`${field} { `.repeat(depth - 1)}id${' }'.repeat(depth - 1)}`;
/** GraphQL's own token count (graphql-armor counts the same), stopping past the limit */
function tokensOf(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  while (count <= 1000 && lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}
const sizeCodes = (query: string, own: string) => (tokensOf(query) > 1000 ? ['TOO_MANY_TOKENS'] : [own]);

// ---- aliases: expensive fields multiplied (the 24 MB and 41 s requests of the issue) ----
const ALIASED_FIELDS = [
  'currentLegalDocuments(locale: "tr") { body }',
  'me { email }',
  'plans { code }',
  '__typename',
  'legalDocumentVersion(id: "x") { id }',
];
const ALIAS_COUNTS = [16, 17, 20, 25, 32, 50, 64, 100, 128, 200, 256, 333, 500, 750, 1000];
const aliasCases: Case[] = ALIASED_FIELDS.flatMap((field) =>
  ALIAS_COUNTS.map((n) => {
    const query = `{ ${aliases(n, field)} }`;
    // __typename is on graphql-armor's allow list: it costs nothing, so only the token bound applies
    const codes = field === '__typename' ? (tokensOf(query) > 1000 ? ['TOO_MANY_TOKENS'] : undefined) : sizeCodes(query, 'TOO_MANY_ALIASES');
    return { name: `${n} aliases of ${field.split(/[ ({]/)[0]}`, body: q(query), ...(codes ? { codes } : {}) };
  }),
);

// ---- sensitive mutations: counted per alias and refused before any of them runs ----
const SENSITIVE = [
  'logIn(input: { email: "victim@example.com", password: "guess" }) { accessToken }',
  'requestPasswordReset(email: "victim@example.com")',
  'resendVerificationEmail(email: "victim@example.com")',
  'signUp(input: { firstName: "a" }) { user { id } }',
  'verifyEmail(token: "t") { accessToken }',
  'refreshSession(refreshToken: "r") { accessToken }',
  'exchangeApiKey(apiKey: "omk_x_y") { accessToken }',
  'resetPassword(token: "t", newPassword: "p") { accessToken }',
  'unsubscribe(token: "t")',
];
const SENSITIVE_COUNTS = [2, 3, 5, 8, 10, 15, 16, 50, 200, 1000];
const sensitiveCases: Case[] = SENSITIVE.flatMap((field) =>
  SENSITIVE_COUNTS.map((n) => {
    const query = `mutation { ${aliases(n, field)} }`;
    const codes = tokensOf(query) > 1000 ? ['TOO_MANY_TOKENS'] : n > 15 ? ['TOO_MANY_ALIASES'] : ['OPERATION_LIMIT_EXCEEDED'];
    return { name: `${n}× ${field.split('(')[0]}`, body: q(query), codes };
  }),
);
// The same calls hidden behind fragments and inline fragments still count.
const hiddenSensitiveCases: Case[] = [2, 3, 5, 10].flatMap((n) => [
  {
    name: `${n}× requestPasswordReset through a fragment`,
    body: q(`mutation { ...F } fragment F on Mutation { ${aliases(n, 'requestPasswordReset(email: "v@example.com")')} }`),
    codes: ['OPERATION_LIMIT_EXCEEDED'],
  },
  {
    name: `${n}× logIn through inline fragments`,
    body: q(`mutation { ${Array.from({ length: n }, (_, i) => `... on Mutation { l${i}: logIn(input: { email: "v@example.com", password: "p" }) { accessToken } }`).join(' ')} }`),
    codes: ['OPERATION_LIMIT_EXCEEDED'],
  },
]);

// ---- depth: plain nesting, nesting through fragments ----
const depthCases: Case[] = [
  ...Array.from({ length: 50 }, (_, i) => 11 + i * 4).map((depth) => ({
    name: `depth ${depth}`,
    body: q(`{ ${nest(depth)} }`),
    codes: sizeCodes(`{ ${nest(depth)} }`, 'QUERY_TOO_DEEP'),
  })),
  ...[11, 12, 15, 20, 30, 40].map((depth) => {
    const fragments = Array.from({ length: depth - 1 }, (_, i) => `fragment F${i} on Node { child { ${i === depth - 2 ? 'id' : `...F${i + 1}`} } }`).join(' ');
    const query = `{ node { ...F0 } } ${fragments}`;
    return { name: `depth ${depth} through fragments`, body: q(query), codes: sizeCodes(query, 'QUERY_TOO_DEEP') };
  }),
  { name: 'depth 201 (the issue)', body: q(`{ ${nest(201)} }`), codes: ['TOO_MANY_TOKENS', 'QUERY_TOO_DEEP'] },
  { name: 'self-referencing fragment', body: q('{ ...F } fragment F on Query { me { ...F } }'), codes: ['GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY'] },
];

// ---- cost: wide and multiplied selections within depth and alias bounds ----
const costCases: Case[] = [
  ...[800, 1000, 2000, 5000, 10_000, 100_000, 1_000_000, 2_147_483_647].map((first) => ({
    name: `first: ${first} over a nested connection`,
    body: q(`{ operatorAuditLog(first: ${first}) { edges { node { id action targetId at } } pageInfo { hasNextPage } } }`),
    codes: ['QUERY_TOO_COSTLY'],
  })),
  ...[100, 200, 500, 1000].flatMap((outer) =>
    [100, 1000].map((inner) => ({
      name: `first: ${outer} around first: ${inner}`,
      body: q(`{ partnerCustomers(first: ${outer}) { edges { node { id members(first: ${inner}) { edges { node { id } } } } } } }`),
      codes: ['QUERY_TOO_COSTLY'],
    })),
  ),
];

// ---- tokens and directives ----
const tokenCases: Case[] = [
  ...[1001, 1500, 3000, 10_000, 50_000, 200_000].map((n) => ({ name: `${n} repeated fields`, body: q(`{ ${'__typename '.repeat(n)}}`), codes: ['TOO_MANY_TOKENS'] })),
  ...[400, 2000].map((n) => ({ name: `${n} arguments`, body: q(`{ plans(${Array.from({ length: n }, (_, i) => `a${i}: 1`).join(' ')}) { code } }`), codes: ['TOO_MANY_TOKENS'] })),
  ...[21, 30, 100].map((n) => ({ name: `${n} directives`, body: q(`{ plans { code ${'@include(if: true) '.repeat(n)}} }`), codes: sizeCodes(`{ plans { code ${'@include(if: true) '.repeat(n)}} }`, 'TOO_MANY_DIRECTIVES') })),
  { name: 'one 5 MB string literal', body: q(`{ currentLegalDocuments(locale: "${'x'.repeat(5_000_000)}") { id } }`) },
  { name: '300 variable definitions', body: q(`query(${Array.from({ length: 300 }, (_, i) => `$v${i}: Int`).join(' ')}) { plans { code } }`), codes: ['TOO_MANY_TOKENS'] },
];

// ---- malformed bodies and request shapes ----
const MALFORMED = ['{', '{"query": ', '{"query": "{ plans { code } }",}', "{'query': '{ plans { code } }'}", '{"query": "\\u12"}', 'not json at all', '\u0000\u0001', '{"query": "{ plans { code } }"} trailing', '[[[[[[[[[[', '{"a":'.repeat(5000), '\uFEFF{"query"'];
const SHAPES: [string, string, string[]][] = [
  ['null', 'null', ['BAD_REQUEST']],
  ['a number', '123', ['BAD_REQUEST']],
  ['a string', '"{ plans { code } }"', ['BAD_REQUEST']],
  ['true', 'true', ['BAD_REQUEST']],
  ['an empty object', '{}', ['BAD_REQUEST']],
  ['a batch', '[{"query":"{ plans { code } }"},{"query":"{ plans { code } }"}]', ['BAD_REQUEST']],
  ['an empty batch', '[]', ['BAD_REQUEST']],
  ['query as a number', '{"query": 5}', ['BAD_REQUEST']],
  ['query null', '{"query": null}', ['BAD_REQUEST']],
  ['query empty', '{"query": ""}', ['BAD_REQUEST']],
  ['query blank', '{"query": "   "}', ['BAD_REQUEST']],
  ['query as an object', '{"query": {"$gt": ""}}', ['BAD_REQUEST']],
  ['query as an array', '{"query": ["{ plans { code } }"]}', ['BAD_REQUEST']],
  ['variables as a string', '{"query": "{ plans { code } }", "variables": "x"}', ['BAD_REQUEST']],
  ['variables as an array', '{"query": "{ plans { code } }", "variables": [1]}', ['BAD_REQUEST']],
  ['variables as a number', '{"query": "{ plans { code } }", "variables": 1}', ['BAD_REQUEST']],
  ['operationName as a number', '{"query": "{ plans { code } }", "operationName": 5}', ['BAD_REQUEST']],
  ['operationName as an object', '{"query": "{ plans { code } }", "operationName": {"$ne": null}}', ['BAD_REQUEST']],
  ['a syntax error', '{"query": "{ plans { code }"}', ['GRAPHQL_PARSE_FAILED']],
  ['a lone brace', '{"query": "}"}', ['GRAPHQL_PARSE_FAILED']],
  ['an unterminated string', '{"query": "{ currentLegalDocuments(locale: \\"tr) { id } }"}', ['GRAPHQL_PARSE_FAILED']],
  ['fragments only', '{"query": "fragment F on Query { plans { code } }"}', ['BAD_REQUEST']],
  ['an unknown field', '{"query": "{ nope }"}', ['GRAPHQL_VALIDATION_FAILED']],
  ['a subscription', '{"query": "subscription { plans { code } }"}', ['OPERATION_NOT_SUPPORTED']],
  ['a persisted query', '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}', ['BAD_REQUEST']],
  ['__proto__ keys', '{"__proto__": {"query": "{ plans { code } }"}, "query": "{ plans { code } }"}', []],
  ['duplicate query keys', '{"query": "{ nope }", "query": "{ plans { code } }"}', []],
];
const bodyCases: Case[] = [
  ...MALFORMED.map((body, i) => ({ name: `malformed JSON #${i + 1}`, body, codes: ['MALFORMED_JSON', 'BAD_REQUEST'] })),
  ...SHAPES.map(([name, body, codes]) => ({ name, body, ...(codes.length ? { codes } : {}) })),
  { name: 'invalid UTF-8 bytes', body: Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x7d]), codes: ['MALFORMED_JSON'] },
  { name: 'JSON nested 100 000 deep', body: '['.repeat(100_000) + ']'.repeat(100_000), codes: ['MALFORMED_JSON', 'BAD_REQUEST'] },
  { name: 'an empty body', body: '', codes: ['BAD_REQUEST', 'MALFORMED_JSON'] },
];

// ---- charsets, media types, encodings, methods ----
const CHARSETS = ['latin1', 'iso-8859-1', 'iso-8859-9', 'windows-1254', 'us-ascii', 'ascii', 'big5', 'shift_jis', 'koi8-r', 'ebcdic', 'x-unknown', 'cp1252'];
const MEDIA_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/html', 'application/graphql', 'application/octet-stream', 'image/png', 'json', ''];
const headerCases: Case[] = [
  ...CHARSETS.map((charset) => ({
    name: `charset ${charset}`,
    body: q('{ plans { code } }'),
    headers: { 'content-type': `application/json; charset=${charset}` },
    codes: ['UNSUPPORTED_CHARSET'],
  })),
  ...['utf-8', 'UTF-8', 'utf8'].map((charset) => ({ name: `charset ${charset} accepted`, body: q('{ plans { code } }'), headers: { 'content-type': `application/json; charset=${charset}` } })),
  ...MEDIA_TYPES.map((type) => ({ name: `content-type "${type}"`, body: q('{ plans { code } }'), headers: { 'content-type': type }, codes: ['UNSUPPORTED_MEDIA_TYPE'] })),
  ...['gzip', 'deflate', 'br', 'compress', 'x-bogus'].map((encoding) => ({
    name: `content-encoding ${encoding} with plain bytes`,
    body: q('{ plans { code } }'),
    headers: { 'content-encoding': encoding },
    codes: ['BAD_REQUEST', 'UNSUPPORTED_ENCODING', 'MALFORMED_JSON'],
  })),
  ...['PUT', 'DELETE', 'PATCH'].map((method) => ({ name: `method ${method}`, method, body: q('{ plans { code } }'), codes: ['METHOD_NOT_ALLOWED'] })),
];

// ---- operationName errors ----
const TWO_OPS = 'query A { plans { code } } query B { contractPolicies { code } }';
const UNKNOWN_NAMES = ['C', 'a', 'AB', 'A ', ' A', 'Ä', '"; drop', '__schema', 'constructor', '__proto__', 'toString', 'x'.repeat(10_000), 'F', '0', 'null', 'undefined', 'A\u0000', 'query', 'mutation', '🙂'];
const operationCases: Case[] = [
  ...UNKNOWN_NAMES.map((name) => ({ name: `unknown operationName ${JSON.stringify(name.slice(0, 20))}`, body: q(TWO_OPS, { operationName: name }), codes: ['OPERATION_NOT_FOUND'] })),
  ...UNKNOWN_NAMES.slice(0, 10).map((name) => ({ name: `unknown operationName ${JSON.stringify(name.slice(0, 20))}, one operation`, body: q('query A { plans { code } }', { operationName: name }), codes: ['OPERATION_NOT_FOUND'] })),
  ...[2, 3, 5, 10].map((n) => ({
    name: `${n} operations without operationName`,
    body: q(Array.from({ length: n }, (_, i) => `query Q${i} { plans { code } }`).join(' ')),
    codes: ['OPERATION_NAME_REQUIRED'],
  })),
  { name: 'two anonymous operations', body: q('{ plans { code } } { contractPolicies { code } }'), codes: ['OPERATION_NAME_REQUIRED'] },
  { name: 'operationName naming a fragment', body: q('query A { ...F } fragment F on Query { plans { code } }', { operationName: 'F' }), codes: ['OPERATION_NOT_FOUND'] },
  { name: 'operationName null with two operations', body: q(TWO_OPS, { operationName: null }), codes: ['OPERATION_NAME_REQUIRED'] },
  { name: 'operationName empty with two operations', body: q(TWO_OPS, { operationName: '' }), codes: ['OPERATION_NAME_REQUIRED'] },
  { name: 'the right operationName', body: q(TWO_OPS, { operationName: 'B' }) },
  { name: 'GET without a query', method: 'GET', body: '', codes: ['BAD_REQUEST'] },
];

// ---- injection objects where strings, IDs and inputs are expected ----
const INJECTIONS: unknown[] = [
  { $gt: '' },
  { $ne: null },
  { $regex: '.*' },
  { $where: 'sleep(5000) || true' },
  { $in: ['a', 'b'] },
  { $exists: true },
  ['victim@example.com'],
  { __proto__: { isAdmin: true } },
  { constructor: { prototype: { polluted: true } } },
  12345,
  true,
];
const STRING_DOORS: [string, string][] = [
  ['logIn email', 'mutation($v: String!) { logIn(input: { email: $v, password: "x" }) { accessToken } }'],
  ['logIn password', 'mutation($v: String!) { logIn(input: { email: "v@example.com", password: $v }) { accessToken } }'],
  ['requestPasswordReset', 'mutation($v: String!) { requestPasswordReset(email: $v) }'],
  ['resendVerificationEmail', 'mutation($v: String!) { resendVerificationEmail(email: $v) }'],
  ['verifyEmail', 'mutation($v: String!) { verifyEmail(token: $v) { accessToken } }'],
  ['resetPassword', 'mutation($v: String!) { resetPassword(token: $v, newPassword: "Long-Enough-Password-1") { accessToken } }'],
  ['refreshSession', 'mutation($v: String!) { refreshSession(refreshToken: $v) { accessToken } }'],
  ['exchangeApiKey', 'mutation($v: String!) { exchangeApiKey(apiKey: $v) { accessToken } }'],
  ['unsubscribe', 'mutation($v: String!) { unsubscribe(token: $v) }'],
  ['currentLegalDocuments', 'query($v: String!) { currentLegalDocuments(locale: $v) { id } }'],
  ['legalDocumentVersion id', 'query($v: ID!) { legalDocumentVersion(id: $v) { id } }'],
  ['invoice id', 'query($v: ID!) { invoice(id: $v) { id } }'],
];
const injectionCases: Case[] = [
  ...STRING_DOORS.flatMap(([door, query]) =>
    INJECTIONS.map((value) => ({
      name: `${door} ← ${JSON.stringify(value)}`,
      body: JSON.stringify({ query, variables: { v: value } }).replace('"v":{}', '"v":{"__proto__":{"isAdmin":true}}'),
      // an ID takes an integer, so a number there is not an injection but an unknown id
      ...(typeof value === 'number' && door.endsWith(' id') ? {} : { codes: ['BAD_USER_INPUT'] }),
    })),
  ),
  {
    name: 'logIn input object with operator keys',
    body: q('mutation($i: LogInInput!) { logIn(input: $i) { accessToken } }', { variables: { i: { email: { $gt: '' }, password: { $gt: '' } } } }),
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'logIn input object with an extra $where field',
    body: q('mutation($i: LogInInput!) { logIn(input: $i) { accessToken } }', { variables: { i: { email: 'v@example.com', password: 'x', $where: '1' } } }),
    codes: ['BAD_USER_INPUT'],
  },
];

// ---- out-of-range numbers ----
const BAD_INTS: unknown[] = [2_147_483_648, -2_147_483_649, 1e308, 1.5, '12', 9_007_199_254_740_993, -1e21, '1e3', [], { $gt: 0 }];
const INT_DOORS: [string, string][] = [
  ['operatorAuditLog first', 'query($v: Int) { operatorAuditLog(first: $v) { edges { node { id } } } }'],
  ['partnerCustomers first', 'query($v: Int) { partnerCustomers(first: $v) { edges { node { id } } } }'],
  ['topUpPrepaidBalance amount', 'mutation($v: Int!) { topUpPrepaidBalance(organizationId: "x", amount: { currency: "TRY", amountMinor: $v }, reference: "r") { userErrors { code } } }'],
  ['recordUsage quantity', 'mutation($v: Int!) { recordUsage(input: { subscriptionId: "x", meterCode: "m", quantity: $v, eventId: "e" }) { userErrors { code } } }'],
];
const numberCases: Case[] = INT_DOORS.flatMap(([door, query]) =>
  BAD_INTS.map((value) => ({ name: `${door} ← ${JSON.stringify(value)}`, body: q(query, { variables: { v: value } }), codes: ['BAD_USER_INPUT'] })),
);

const ALL_CASES: [string, Case[]][] = [
  ['aliases', aliasCases],
  ['sensitive mutations per alias', [...sensitiveCases, ...hiddenSensitiveCases]],
  ['depth', depthCases],
  ['cost', costCases],
  ['tokens and directives', tokenCases],
  ['malformed bodies', bodyCases],
  ['charsets, media types and methods', headerCases],
  ['operationName', operationCases],
  ['injection objects', injectionCases],
  ['out-of-range numbers', numberCases],
];

describe('hostile input through the gateway (issue 13)', () => {
  it('has at least 500 cases', () => {
    const total = ALL_CASES.reduce((sum, [, cases]) => sum + cases.length, 0);
    console.log(`hostile-input cases: ${total} (${ALL_CASES.map(([name, cases]) => `${name} ${cases.length}`).join(', ')})`);
    expect(total).toBeGreaterThanOrEqual(500);
  });

  for (const [group, cases] of ALL_CASES) {
    describe(group, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => run(c));
    });
  }
});

describe('oversize bodies: one limit at every hop (issue 13)', () => {
  // 14 MB at the gateway and at every subgraph, so a body the gateway takes is never refused further in.
  it.each([1, 2, 5, 13])('%i MB inside a logIn is a userError, not INTERNAL_SERVER_ERROR', async (mb) => {
    await run({
      name: `${mb} MB`,
      body: q('mutation($e: String!) { logIn(input: { email: $e, password: "x" }) { userErrors { code } } }', { variables: { e: 'x'.repeat(mb * 1024 * 1024) } }),
      userErrorCodes: ['INVALID_INPUT', 'TOO_LONG', 'INVALID_CREDENTIALS'],
    });
  });
  it.each([15, 20])('%i MB is a coded 413', async (mb) => {
    await run({ name: `${mb} MB`, body: q('{ plans { code } }', { variables: { pad: 'x'.repeat(mb * 1024 * 1024) } }), codes: ['PAYLOAD_TOO_LARGE'] });
  });
  it('a Content-Length larger than the limit is refused before the body is read', async () => {
    const answer = await fetch(gw, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) }, body: '{}' }).catch(() => undefined);
    if (answer) expect(answer.status).toBeLessThan(500);
  });
});

describe('input bounds: invoice totals inside Int, durations that end (issue 13)', () => {
  let operatorToken: string;
  beforeAll(async () => {
    const logIn = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
    operatorToken = logIn.data!.logIn.accessToken;
  });
  const policy = (overrides: Record<string, unknown>) => ({
    code: `bounds-${Math.random().toString(36).slice(2, 10)}`,
    name: 'Bounds',
    trialRequiresPaymentMethod: false,
    billingPeriod: 'P1M',
    collectionMethod: 'BANK_TRANSFER',
    paymentDueAfter: 'P7D',
    maxCollectionAttempts: 1,
    retryInterval: 'P1D',
    dataDeletionAfterTermination: 'P30D',
    cancellationNotice: 'P0D',
    termsChangeNotice: 'P30D',
    ...overrides,
  });
  const CREATE_POLICY = 'mutation($i: ContractPolicyInput!) { createContractPolicy(input: $i) { code } }';
  const OUT_OF_RANGE_DURATIONS = ['P99999999999999Y', 'P21Y', 'P100000D', 'PT999999999999H', 'P1Y10000M', '-P1D', 'P', 'PT', '1 month', 'P1.5D', 'P1D ', '', 'P1W1D2', 'PT-1S'];
  it.each(OUT_OF_RANGE_DURATIONS)('duration %j is refused with BAD_USER_INPUT', async (duration) => {
    await run({ name: duration, body: q(CREATE_POLICY, { variables: { i: policy({ billingPeriod: duration }) } }), codes: ['BAD_USER_INPUT'], token: operatorToken });
  });
  it('twenty years is still a duration', async () => {
    const answer = await send({ name: 'P20Y', body: q(CREATE_POLICY, { variables: { i: policy({ dataDeletionAfterTermination: 'P20Y' }) } }), token: operatorToken });
    expect(answer.json.errors).toBeUndefined();
  });
  const SET_SLA = 'mutation($i: SlaPolicyInput!) { setSlaPolicy(input: $i) { userErrors { code field } } }';
  const slaCases = ['firstResponse', 'nextResponse', 'warnBefore'].flatMap((key) => ['P99999999Y', 'P2Y', 'PT99999999H'].map((d) => [key, d] as const));
  it.each(slaCases)('an SLA %s of %s is refused: the clock would step for ever', async (key, duration) => {
    const input = { planCode: 'BOUNDS-SLA', firstResponse: 'PT3H', nextResponse: 'PT3H', warnBefore: 'PT30M', [key]: duration };
    await run({ name: duration, body: q(SET_SLA, { variables: { i: input } }), userErrorCodes: ['INVALID_DURATION'], token: operatorToken });
  });
  const CREATE_PLAN = 'mutation($i: PlanInput!) { createPlan(input: $i) { code } }';
  it.each([10_000_001, 2_000_000_000, 2_147_483_647, 2_147_483_648, -1])('a plan price of %i minor units is refused', async (amountMinor) => {
    await run({
      name: String(amountMinor),
      body: q(CREATE_PLAN, { variables: { i: { code: `B-${Math.random().toString(36).slice(2, 8)}`, name: 'B', policyCode: 'omnichannel-saas', prices: [{ currency: 'TRY', amountMinor }] } } }),
      codes: ['BAD_USER_INPUT'],
      resolverError: amountMinor <= 2_147_483_647, // a valid Int reaches the resolver's bounds
      token: operatorToken,
    });
  });
});

describe('a refused 1000-alias request does not slow a legitimate login (issue 13)', () => {
  it('refuses the flood up front while the owner signs in', async () => {
    const owner = await signUpAndVerify(stack);
    const flood = `mutation { ${aliases(1000, `requestPasswordReset(email: "${uniqueEmail('flood')}")`)} }`;
    const floodStarted = performance.now();
    const [refused, login] = await Promise.all([
      send({ name: 'flood', body: q(flood) }).then((answer) => ({ answer, ms: performance.now() - floodStarted })),
      (async () => {
        const started = performance.now();
        const response = await graphql(gw, LOG_IN, { variables: { email: owner.email, password: owner.password }, headers: { 'x-forwarded-for': clientIp() } });
        return { response, ms: performance.now() - started };
      })(),
    ]);
    console.log(`1000-alias anonymous request refused in ${refused.ms.toFixed(1)} ms; concurrent legitimate login took ${login.ms.toFixed(1)} ms`);
    expect(refused.answer.status).toBe(400);
    expect(refused.answer.json.errors![0]!.extensions!.code).toMatch(/TOO_MANY_(TOKENS|ALIASES)/);
    expect(login.response.data!.logIn.userErrors).toEqual([]);
    expect(login.response.data!.logIn.accessToken).toEqual(expect.any(String));
  });

  it('200 aliased logIns count as 200 attempts: refused before any runs, and the per-IP budget answers 429 with Retry-After', async () => {
    const ip = clientIp();
    const aliased = await send({ name: '200 logIns', body: q(`mutation { ${aliases(200, 'logIn(input: { email: "v@example.com", password: "x" }) { accessToken }')} }`), headers: { 'x-forwarded-for': ip } });
    expect(aliased.status).toBe(400);
    let limited: Response | undefined;
    for (let i = 0; i < 100 && !limited; i++) {
      const response = await fetch(gw, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ query: 'mutation($e: String!) { requestPasswordReset(email: $e) }', variables: { e: uniqueEmail('rate') } }),
      });
      if (response.status === 429) limited = response;
      else await response.body?.cancel();
    }
    expect(limited, 'the sensitive per-IP budget ran out').toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited!.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    // Another client is not affected.
    const other = await graphql(gw, 'mutation($e: String!) { requestPasswordReset(email: $e) }', { variables: { e: uniqueEmail('other') }, headers: { 'x-forwarded-for': clientIp() } });
    expect(other.data!.requestPasswordReset).toBe(true);
  });
});

describe('CORS for browser apps (issue 13)', () => {
  const preflight = (origin: string) =>
    fetch(gw, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
  it('answers a preflight from the web front origin', async () => {
    const response = await preflight('http://127.0.0.1:5173');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const actual = await fetch(gw, { method: 'POST', headers: { origin: 'http://127.0.0.1:5173', 'content-type': 'application/json' }, body: JSON.stringify(q('{ plans { code } }')) });
    expect(actual.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
  });
  it('gives no CORS grant to another origin', async () => {
    const response = await preflight('https://evil.example');
    expect(response.status).toBeLessThan(500);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('trusted proxies and the gateway secret (issue 13)', () => {
  const db = connectDatabase(loadConfig({ ...process.env, ...stack.env }), 'accounts');
  afterAll(async () => (await db).close());
  const ipCounterExists = async (ip: string) => Boolean(await accountsModels(await db).Throttle.exists({ _id: `login:ip:${ip}` }));
  const failedLogIn = (url: string, ip: string) =>
    graphql(url, 'mutation($e: String!) { logIn(input: { email: $e, password: "wrong-password" }) { userErrors { code } } }', {
      variables: { e: uniqueEmail('proxy') },
      headers: { 'x-forwarded-for': ip },
    });

  it('a subgraph called directly ignores X-Forwarded-For: the per-IP counter is not the forged address', async () => {
    const forged = clientIp();
    const direct = await failedLogIn(stack.subgraphUrls.accounts!, forged);
    expect(direct.data!.logIn.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    expect(await ipCounterExists(forged)).toBe(false);
  });

  it('through the gateway (a trusted proxy in local runs) the forwarded client address is the one counted', async () => {
    const client = clientIp();
    await failedLogIn(gw, client);
    expect(await ipCounterExists(client)).toBe(true);
  });
});

describe('every subgraph bounds requests again (issue 13)', () => {
  // Subgraphs allow depth + 2 and twice the rest, for what the gateway's query planner adds.
  const SUBGRAPH_CASES: [string, string, number, string][] = [
    ['depth 13', JSON.stringify(q(`{ ${nest(13)} }`)), 400, 'QUERY_TOO_DEEP'],
    ['31 aliases', JSON.stringify(q(`{ ${aliases(31, '__typename')} ${aliases(31, '_service { sdl }')} }`)), 400, 'TOO_MANY_ALIASES'],
    ['2 logIns', JSON.stringify(q(`mutation { ${aliases(2, 'logIn(input: { email: "v@example.com", password: "x" }) { accessToken }')} }`)), 400, 'OPERATION_LIMIT_EXCEEDED'],
    ['malformed JSON', '{"query": ', 400, 'MALFORMED_JSON'],
    ['latin1', JSON.stringify(q('{ __typename }')), 415, 'UNSUPPORTED_CHARSET'],
    ['15 MB', JSON.stringify(q('{ __typename }', { variables: { pad: 'x'.repeat(15 * 1024 * 1024) } })), 413, 'PAYLOAD_TOO_LARGE'],
  ];
  const rows = Object.entries(stack.subgraphUrls).flatMap(([name, url]) => SUBGRAPH_CASES.map(([label, body, status, code]) => [`${name}: ${label}`, url, body, status, code] as const));
  it.each(rows)('%s', async (_label, url, body, status, code) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': `application/json${code === 'UNSUPPORTED_CHARSET' ? '; charset=latin1' : ''}` },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    expect(text).not.toMatch(LEAK);
    expect(response.status).toBe(status);
    expect((JSON.parse(text) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(code);
  });
});
