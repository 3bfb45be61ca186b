// Issue 15, hosted card capture, end to end over real HTTP: a policy that requires
// a card for its trial [000 §4.5] is refused without one; the customer starts a
// capture, types the card on the sandbox provider's page (served by billing behind
// the web front and the gateway, as iyzico's checkout form would be), passes the
// 3-D Secure step, and the provider posts back to the platform's callback. Only the
// returned token is stored, and the card-required trial then starts. A declined
// card stores nothing.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LOG_IN, clientIp, signUpAndVerify, type SignedUp } from '../support/accounts.ts';
import { START_SUBSCRIPTION, secondsPolicy } from '../support/billing.ts';
import { errorCodes, graphql } from '../support/graphql.ts';
import { E2E_OPERATOR } from './stack-info.ts';

const stack = inject('stack');
const gw = stack.gatewayUrl;
const suffix = randomUUID().slice(0, 8);

const POLICY = secondsPolicy(`e2e-card-trial-${suffix}`, 'E2E card-required trial', { trialPeriod: 'PT1H', trialRequiresPaymentMethod: true, billingPeriod: 'PT1H' });
const PLAN = { code: `e2e-card-trial-plan-${suffix}`, name: 'E2E card trial plan', policyCode: POLICY.code, prices: [{ currency: 'TRY', amountMinor: 500_00 }] };
const CARD = '4111 1111 1111 1111';

const START_CAPTURE = `mutation($input: CardCaptureInput!) { startCardCapture(input: $input) {
  session { token pageUrl status } userErrors { code field }
} }`;
const SESSION = `query($t: String!) { cardCaptureSession(token: $t) {
  status cardLabel failure subscriptionProblem subscription { id status plan { code } }
} }`;
const ORGANIZATION = 'query($o: ID!) { organization(id: $o) { paymentMethod { provider cardLabel } subscriptions { id status } } }';

/** A browser's form post: url-encoded fields, the redirect not followed. */
function post(url: string, fields: Record<string, string>) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields), redirect: 'manual' });
}
/** The action of the page's form, resolved against the page's own URL. */
function formAction(html: string, pageUrl: string): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  expect(action, html).toBeDefined();
  return new URL(action!.replace(/&amp;/g, '&'), pageUrl).toString();
}
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];

async function startCapture(owner: SignedUp, subscription: Record<string, unknown> | null) {
  const started = await graphql(gw, START_CAPTURE, { token: owner.accessToken, variables: { input: { organizationId: owner.organizationId, ...(subscription ? { subscription } : {}) } } });
  expect(started.errors).toBeUndefined();
  expect(started.data!.startCardCapture.userErrors).toEqual([]);
  return started.data!.startCardCapture.session as { token: string; pageUrl: string; status: string };
}

/** Types the card on the provider's page; returns the page that sends the browser back to the platform. */
async function enterCard(pageUrl: string, card: string, code = '123456'): Promise<string> {
  const formPage = await fetch(pageUrl);
  expect(formPage.status).toBe(200);
  const form = await formPage.text();
  const cardUrl = formAction(form, pageUrl);
  const answered = await post(cardUrl, { cardHolderName: 'Ayşe Yılmaz', cardNumber: card, expiry: '12/39', cvc: '123' });
  const html = await answered.text();
  if (!html.includes('name="code"')) return html; // declined before 3-D Secure
  expect(answered.status).toBe(200);
  const threeDsUrl = formAction(html, pageUrl);
  const wrong = await post(threeDsUrl, { code: '000000' });
  expect(wrong.status).toBe(400);
  const verified = await post(threeDsUrl, { code });
  expect(verified.status).toBe(200);
  return verified.text();
}

/** What the provider's last page does in a browser: post the token to the platform's callback. */
async function returnToPlatform(html: string, pageUrl: string, token: string) {
  expect(hidden(html, 'token')).toBe(token);
  const callback = formAction(html, pageUrl);
  expect(new URL(callback).pathname).toBe('/card-capture/callback');
  const response = await post(callback, { token });
  return { status: response.status, html: await response.text() };
}

beforeAll(async () => {
  const login = await graphql(gw, LOG_IN, { variables: E2E_OPERATOR, headers: { 'x-forwarded-for': clientIp() } });
  const operatorToken = login.data!.logIn.accessToken;
  expect((await graphql(gw, 'mutation($input: ContractPolicyInput!) { createContractPolicy(input: $input) { id } }', { token: operatorToken, variables: { input: POLICY } })).errors).toBeUndefined();
  expect((await graphql(gw, 'mutation($input: PlanInput!) { createPlan(input: $input) { id } }', { token: operatorToken, variables: { input: PLAN } })).errors).toBeUndefined();
}, 60_000);

describe('hosted card capture through the sandbox provider (issue 15, 000 §4.5)', () => {
  it('the card typed on the hosted page becomes a stored token, and the card-required trial starts', async () => {
    const owner = await signUpAndVerify(stack);
    const refused = await graphql(gw, START_SUBSCRIPTION, { token: owner.accessToken, variables: { input: { organizationId: owner.organizationId, planCode: PLAN.code, currency: 'TRY' } } });
    expect(refused.data!.startSubscription.userErrors).toEqual([expect.objectContaining({ code: 'PAYMENT_METHOD_REQUIRED' })]);

    const session = await startCapture(owner, { planCode: PLAN.code, currency: 'TRY' });
    expect(session.status).toBe('PENDING');
    // the page is on the platform's public origin (the web front), never an Omurga form of its own
    expect(session.pageUrl).toBe(`${stack.webUrl}/card-capture/sandbox/${session.token}`);

    // invalid card details are refused on the provider's page
    const badUrl = formAction(await (await fetch(session.pageUrl)).text(), session.pageUrl);
    const bad = await post(badUrl, { cardHolderName: 'Ayşe Yılmaz', cardNumber: '4111 1111 1111 1112', expiry: '12/39', cvc: '123' });
    expect(bad.status).toBe(400);

    const back = await enterCard(session.pageUrl, CARD);
    const callback = await returnToPlatform(back, session.pageUrl, session.token);
    expect(callback.status).toBe(200);
    expect(callback.html).toContain('VISA •••• 1111');

    const read = await graphql(gw, SESSION, { token: owner.accessToken, variables: { t: session.token } });
    expect(read.errors).toBeUndefined();
    const completed = read.data!.cardCaptureSession;
    expect(completed).toMatchObject({ status: 'COMPLETED', cardLabel: 'VISA •••• 1111', failure: null, subscriptionProblem: null });
    expect(completed.subscription).toMatchObject({ status: 'TRIALING', plan: { code: PLAN.code } });

    const organization = await graphql(gw, ORGANIZATION, { token: owner.accessToken, variables: { o: owner.organizationId } });
    expect(organization.data!.organization.paymentMethod).toEqual({ provider: 'sandbox', cardLabel: 'VISA •••• 1111' });
    expect(organization.data!.organization.subscriptions).toEqual([{ id: completed.subscription.id, status: 'TRIALING' }]);

    // the provider's return repeated (a reload) changes nothing: still one subscription
    expect((await post(formAction(back, session.pageUrl), { token: session.token })).status).toBe(200);
    const again = await graphql(gw, ORGANIZATION, { token: owner.accessToken, variables: { o: owner.organizationId } });
    expect(again.data!.organization.subscriptions).toHaveLength(1);

    // billing stored the provider's token only: the card number is nowhere in its database
    const prefix = stack.env.MONGODB_DB_PREFIX ?? 'omurga_';
    const db = await mongoose.createConnection(stack.env.MONGODB_URI!, { dbName: `${prefix}billing` }).asPromise();
    try {
      const account = await db.collection('billing_accounts').findOne({ _id: owner.organizationId as never });
      expect(account!.paymentMethod.token).toMatch(/^sandbox_card_[0-9a-f]{24}$/);
      for (const { name } of await db.listCollections()) {
        const dump = JSON.stringify(await db.collection(name).find({}).toArray());
        expect(dump, name).not.toContain('4111111111111111');
        expect(dump, name).not.toContain(CARD);
      }
    } finally {
      await db.close();
    }
  }, 60_000);

  it('a declined card stores nothing; others cannot start or read a capture of the organisation', async () => {
    const owner = await signUpAndVerify(stack);
    const session = await startCapture(owner, null);
    const back = await enterCard(session.pageUrl, '4000 0000 0000 0002');
    const callback = await returnToPlatform(back, session.pageUrl, session.token);
    expect(callback.status).toBe(200);
    const read = await graphql(gw, SESSION, { token: owner.accessToken, variables: { t: session.token } });
    expect(read.data!.cardCaptureSession).toMatchObject({ status: 'FAILED', failure: 'card_declined', subscription: null });
    const organization = await graphql(gw, ORGANIZATION, { token: owner.accessToken, variables: { o: owner.organizationId } });
    expect(organization.data!.organization.paymentMethod).toBeNull();

    const stranger = await signUpAndVerify(stack);
    expect((await graphql(gw, SESSION, { token: stranger.accessToken, variables: { t: session.token } })).data!.cardCaptureSession).toBeNull();
    const foreign = await graphql(gw, START_CAPTURE, { token: stranger.accessToken, variables: { input: { organizationId: owner.organizationId } } });
    expect(errorCodes(foreign)).toEqual(['FORBIDDEN']);
    // an unknown session's page and callback answer 404, not an error
    expect((await fetch(`${stack.webUrl}/card-capture/sandbox/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await post(`${gw.replace(/\/graphql$/, '')}/card-capture/callback`, { token: 'f'.repeat(32) })).status).toBe(404);
  }, 60_000);
});
