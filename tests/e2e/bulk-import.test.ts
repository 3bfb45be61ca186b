// Issue 16: a seller's mass onboarding through the gateway. A partner imports
// 50 customers with subscriptions in one call, imports them again (nothing
// new, the same answers), sees them as its referred customers with their
// subscriptions; no e-mail goes out unless invitations are asked for.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { signUpAndVerify, uniqueEmail } from '../support/accounts.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { waitForEmail } from '../support/mail-catcher.ts';
import { operatorToken } from '../support/web.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;

const IMPORT = `mutation($input: CustomerImportInput!) {
  importCustomers(input: $input) {
    rows { externalReference created subscriptionId subscriptionStatus organization { id name status referredByPartnerId } userErrors { code field } }
    userErrors { code field }
  }
}`;

let operator: string;
let partner: string;
let partnerOrganizationId: string;
const batch = randomUUID().slice(0, 8);
const DAY = 86_400_000;

/** A valid TCKN for `n` (checksums per the Turkish identity rules). */
function tckn(n: number): string {
  const d = String(100_000_000 + n).split('').map(Number);
  const d10 = (((d[0]! + d[2]! + d[4]! + d[6]! + d[8]!) * 7 - (d[1]! + d[3]! + d[5]! + d[7]!)) % 10 + 10) % 10;
  const d11 = (d.reduce((a, b) => a + b, 0) + d10) % 10;
  return `${d.join('')}${d10}${d11}`;
}

function row(i: number, overrides: Record<string, unknown> = {}) {
  return {
    externalReference: `crm-${batch}-${i}`,
    companyName: `Toplu Müşteri ${batch} ${i}`,
    customerType: 'INDIVIDUAL',
    nationalId: tckn(i + 1),
    billingAddress: { line1: `Cadde ${i}`, city: 'İzmir', country: 'TR' },
    ownerEmail: `owner-${batch}-${i}@example.com`,
    billingEmail: `fatura-${batch}-${i}@example.com`,
    subscription: { planCode: 'CRM-MONTHLY', currency: 'TRY' },
    ...overrides,
  };
}

beforeAll(async () => {
  operator = await operatorToken(gw);
  const owner = await signUpAndVerify(stack);
  partnerOrganizationId = owner.organizationId;
  await graphql(gw, 'mutation($o: ID!) { approvePartner(organizationId: $o) { partnerCode } }', { token: operator, variables: { o: partnerOrganizationId } });
  const key = await graphql(gw, 'mutation($o: ID!) { createApiKey(organizationId: $o, name: "CRM", scopes: ["customers:read", "customers:write"]) { apiKey } }', { token: owner.accessToken, variables: { o: partnerOrganizationId } });
  const exchanged = await graphql(gw, 'mutation($k: String!) { exchangeApiKey(apiKey: $k) { accessToken } }', { variables: { k: key.data!.createApiKey.apiKey } });
  partner = exchanged.data!.exchangeApiKey.accessToken as string;
}, 60_000);

describe('bulk customer import (issue 16)', () => {
  it('a partner imports 50 customers with subscriptions; importing again creates nothing and answers the same', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => row(i));
    const started = Date.now();
    const first = await graphql(gw, IMPORT, { token: partner, variables: { input: { rows } } });
    console.log(`imported 50 rows in ${Date.now() - started} ms`);
    expect(first.errors).toBeUndefined();
    const answered = first.data!.importCustomers.rows as { externalReference: string; created: boolean; subscriptionId: string; subscriptionStatus: string; organization: { id: string; status: string; referredByPartnerId: string }; userErrors: unknown[] }[];
    expect(answered).toHaveLength(50);
    for (const [i, r] of answered.entries()) {
      expect(r.userErrors).toEqual([]);
      expect(r.externalReference).toBe(`crm-${batch}-${i}`);
      expect(r.created).toBe(true);
      expect(r.organization.status).toBe('PENDING_VERIFICATION');
      expect(r.organization.referredByPartnerId).toBe(partnerOrganizationId);
      expect(r.subscriptionId).toBeTruthy();
      expect(r.subscriptionStatus).toBe('TRIALING');
    }
    expect(new Set(answered.map((r) => r.organization.id)).size).toBe(50);

    const again = await graphql(gw, IMPORT, { token: partner, variables: { input: { rows } } });
    const repeated = again.data!.importCustomers.rows as typeof answered;
    expect(repeated.map((r) => r.created)).toEqual(rows.map(() => false));
    expect(repeated.map((r) => r.organization.id)).toEqual(answered.map((r) => r.organization.id));
    expect(repeated.map((r) => r.subscriptionId)).toEqual(answered.map((r) => r.subscriptionId));

    // The partner sees exactly these 50 as its referred customers, each with one subscription.
    const listed = await graphql(gw, 'query { partnerCustomers(first: 100) { edges { node { id subscriptions { id status } } } } }', { token: partner });
    expect(listed.errors).toBeUndefined();
    const customers = (listed.data!.partnerCustomers.edges as { node: { id: string; subscriptions: { id: string; status: string }[] } }[]).map((e) => e.node);
    expect(customers.map((c) => c.id).sort()).toEqual(answered.map((r) => r.organization.id).sort());
    for (const customer of customers) {
      expect(customer.subscriptions).toHaveLength(1);
      expect(customer.subscriptions[0]!.status).toBe('TRIALING');
      expect(customer.subscriptions[0]!.id).toBe(answered.find((r) => r.organization.id === customer.id)!.subscriptionId);
    }

    // Billing writes to the imported billing address; no sign-up or invitation e-mail went to any owner.
    await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === `fatura-${batch}-0@example.com`));
    const mails = (await (await fetch(`${stack.mailCatcherUrl}/email`)).json()) as { to: { address: string }[] }[];
    expect(mails.filter((m) => m.to.some((a) => a.address.startsWith(`owner-${batch}-`)))).toEqual([]);
  }, 120_000);

  it('an operator imports for a partner with invitations; bad rows are refused one by one with coded errors', async () => {
    const ownerEmail = uniqueEmail('toplu-sahip');
    // Migrated customers keep their renewal date: the time until then runs as the policy's trial (14 days here).
    const renewsAt = new Date(Date.now() + 3 * DAY).toISOString();
    const rows = [
      row(100, { ownerEmail, subscription: null }),
      row(101, { nationalId: '12345678901' }),
      row(102, { subscription: { planCode: 'NO-SUCH-PLAN', currency: 'TRY' } }),
      row(103, { externalReference: `crm-${batch}-100` }),
      row(104, { subscription: { planCode: 'CRM-MONTHLY', currency: 'TRY', renewsAt } }),
      row(105, { subscription: { planCode: 'CRM-MONTHLY', currency: 'TRY', renewsAt: new Date(Date.now() + 30 * DAY).toISOString() } }),
    ];
    const result = await graphql(gw, IMPORT, { token: operator, variables: { input: { rows, inviteOwners: true, referredByPartnerId: partnerOrganizationId } } });
    expect(result.errors).toBeUndefined();
    const [invited, badId, badPlan, duplicate, migrated, tooFar] = result.data!.importCustomers.rows;
    expect(invited.userErrors).toEqual([]);
    expect(invited.organization.referredByPartnerId).toBe(partnerOrganizationId);
    expect(invited.subscriptionId).toBeNull();
    expect(badId.organization).toBeNull();
    expect(badId.userErrors[0].field.slice(0, 3)).toEqual(['input', 'rows', '1']);
    expect(badPlan.organization.id).toBeTruthy();
    expect(badPlan.userErrors).toEqual([{ code: 'PLAN_NOT_FOUND', field: ['input', 'rows', '2', 'subscription', 'planCode'] }]);
    expect(duplicate.userErrors).toEqual([{ code: 'DUPLICATE_REFERENCE', field: ['input', 'rows', '3', 'externalReference'] }]);
    expect(tooFar.userErrors).toEqual([{ code: 'RENEWAL_BEYOND_TRIAL', field: ['input', 'rows', '5', 'subscription', 'renewsAt'] }]);
    const subscription = await graphql(gw, 'query($id: ID!) { subscription(id: $id) { status trialEndsAt } }', { token: operator, variables: { id: migrated.subscriptionId } });
    expect(subscription.data!.subscription).toEqual({ status: 'TRIALING', trialEndsAt: renewsAt });
    await waitForEmail(stack.mailCatcherUrl, (m) => m.to.some((a) => a.address === ownerEmail));
  }, 60_000);

  it('refuses a customer user and more than 500 rows', async () => {
    const customer = await signUpAndVerify(stack);
    const asCustomer = await graphql(gw, IMPORT, { token: customer.accessToken, variables: { input: { rows: [row(200)] } } });
    expect(errorCodes(asCustomer)).toContain('FORBIDDEN');
    const tooMany = await graphql(gw, IMPORT, { token: operator, variables: { input: { rows: Array.from({ length: 501 }, (_, i) => row(300 + i)) } } });
    expect(tooMany.data!.importCustomers.userErrors).toEqual([{ code: 'TOO_MANY_ROWS', field: ['input', 'rows'] }]);
  }, 60_000);
});
