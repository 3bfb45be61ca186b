// Issue 16: the public catalogue is cached (at the gateway, in billing and by
// HTTP caches) for at most its max age; a catalogue change reaches billing's
// answer at once; anything a caller's own data touches is never cached.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const PLANS = '{ plans { code name } }';

async function post(url: string, query: string, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { headers: response.headers, body: (await response.json()) as { data?: { plans?: { code: string }[] }; errors?: unknown[] } };
}

let operatorToken: string;
let customer: SignedUp;

beforeAll(async () => {
  const login = await graphql(gw, LOG_IN, { variables: { email: E2E_OPERATOR.email, password: E2E_OPERATOR.password }, headers: { 'x-forwarded-for': clientIp() } });
  operatorToken = login.data!.logIn.accessToken;
  customer = await signUpAndVerify(stack);
});

describe('the public read cache', () => {
  it('answers the anonymous catalogue from the gateway cache, public for at most 15 s', async () => {
    const first = await post(gw, PLANS);
    expect(first.body.errors).toBeUndefined();
    expect(first.headers.get('cache-control')).toBe('max-age=15, public');
    const second = await post(gw, PLANS);
    expect(second.body).toEqual(first.body);
    // A cached answer says how old it is, never older than its max age.
    expect(Number(second.headers.get('age'))).toBeLessThanOrEqual(15);
  });

  it('never caches an answer that holds a caller\'s own data', async () => {
    const query = `{ plans { code } organization(id: "${customer.organizationId}") { id name } }`;
    const first = await post(gw, query, customer.accessToken);
    expect(first.body.errors).toBeUndefined();
    expect(first.headers.get('cache-control') ?? '').not.toContain('public');
    const second = await post(gw, query, customer.accessToken);
    expect(second.headers.get('age')).toBeNull();
  });

  it('shows a new plan in billing\'s catalogue at once (the memo is dropped on a catalogue change)', async () => {
    const billing = stack.subgraphUrls.billing!;
    expect((await post(billing, PLANS)).body.data?.plans?.length).toBeGreaterThan(0); // now memoised
    const code = `CACHE-${randomUUID().slice(0, 8).toUpperCase()}`;
    const created = await graphql(gw, 'mutation($i: PlanInput!) { createPlan(input: $i) { code } }', {
      token: operatorToken,
      variables: { i: { code, name: 'Cache test', policyCode: 'omnichannel-saas', prices: [{ currency: 'TRY', amountMinor: 1_000 }] } },
    });
    expect(created.errors).toBeUndefined();
    expect((await post(billing, PLANS)).body.data?.plans?.map((p) => p.code)).toContain(code);
  });
});
